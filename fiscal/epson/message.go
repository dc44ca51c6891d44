package epson

import (
	"errors"
	"sort"

	"till/fiscal"
)

// text is one sentence for people in Italian and English.
type text struct{ it, en string }

// byCode explains each printer and driver code and says what to do next.
var byCode = map[string]text{
	"EPTR_REC_EMPTY": {"Carta esaurita o coperchio aperto: sostituire il rotolo e riprovare.",
		"Paper out or cover open: replace the roll and try again."},
	"FP_NO_ANSWER": {"La stampante non ha risposto: controllare lo stato dell'ultimo scontrino prima di ristampare.",
		"The printer did not answer: check the last receipt before printing again."},
	"LAN_TIME_OUT": {"La stampante non ha risposto in tempo: controllare lo stato dell'ultimo scontrino prima di ristampare.",
		"The printer timed out: check the last receipt before printing again."},
	"LAN_ERROR": {"Errore di rete della stampante: controllare il cavo di rete e riprovare.",
		"Printer network error: check the network cable and try again."},
	"PARSER_ERROR": {"La stampante non ha capito il comando: aggiornare la cassa o contattare l'assistenza.",
		"The printer did not understand the request: update the till or call support."},
	"NO_DATA": {"La stampante non ha ricevuto dati: riprovare.",
		"The printer received no data: try again."},
	"Non valid XML command": {"La stampante non accetta questo comando: contattare l'assistenza.",
		"The printer does not accept this command: call support."},
	CodeUnreachable: {"Stampante non raggiungibile: verificare che sia accesa e collegata, poi riprovare.",
		"Printer unreachable: check it is on and connected, then try again."},
	CodeNoAnswer: {"Nessuna risposta dalla stampante: verificare l'ultimo scontrino emesso prima di ristampare.",
		"No answer from the printer: check the last issued receipt before printing again."},
	CodeNoNumber: {"La stampante ha accettato il documento senza indicarne il numero: leggerlo sulla carta o sul giornale elettronico della stampante.",
		"The printer accepted the document without telling its number: read it on the paper or in the printer's electronic journal."},
	CodeUnreadableAnswer: {"Risposta illeggibile dalla stampante: verificare l'ultimo scontrino emesso prima di ristampare.",
		"Unreadable answer from the printer: check the last issued receipt before printing again."},
	CodeEmptyReceipt: {"Lo scontrino non ha righe: aggiungere almeno un articolo.",
		"The receipt has no lines: add at least one item."},
	CodeUnderpaid: {"I pagamenti non coprono il totale: completare il pagamento.",
		"The payments do not cover the total: complete the payment."},
	CodeBadLottery: {"Codice lotteria non valido: deve avere 8 lettere o cifre.",
		"Invalid lottery code: it must be 8 letters or digits."},
	CodeLotteryNoCard: {"Il codice lotteria richiede un pagamento elettronico: toglierlo o pagare con carta.",
		"The lottery code needs an electronic payment: remove it or pay by card."},
	CodeUnknownDept: {"Reparto non configurato sulla stampante: controllare la tabella dei reparti.",
		"Department not set up on the printer: check the department table."},
	CodeUnknownPayment: {"Metodo di pagamento non configurato sulla stampante: controllare le impostazioni.",
		"Payment method not set up on the printer: check the settings."},
	CodeBadAmount: {"Importo o quantità non validi, o una riga che vale meno di un centesimo: correggere la riga.",
		"Invalid amount or quantity, or a line worth less than one cent: correct the line."},
	CodeNothingToRefund: {"Nessuna riga da rendere: selezionare gli articoli del reso.",
		"Nothing to refund: select the items to refund."},
	CodeBadInvoice: {"Dati della fattura incompleti: indicare il numero e da 1 a 4 righe di intestazione del cliente.",
		"Invoice details incomplete: give the number and 1 to 4 customer lines."},
	CodeNotLastDocument: {"Si può ristampare solo l'ultimo documento emesso: per quelli precedenti usare il giornale elettronico della stampante.",
		"Only the last document can be reprinted: use the printer's electronic journal for earlier ones."},
	CodeBadOriginalRef: {"Dati del documento originale incompleti: indicare numero, data e matricola.",
		"Original document details incomplete: give number, date and serial."},
	CodeOtherPrinter: {"Il documento è stato emesso da un'altra stampante: ristamparlo da quella.",
		"The document was issued by another printer: reprint it there."},
	CodeNoReference: {"Numero o data del documento mancanti: non si può ristampare per numero.",
		"The document's number or date is missing: it cannot be reprinted by number."},
	CodePrinterUnknown: {"Matricola della stampante del documento o di questa stampante sconosciuta: non si può ristampare per numero.",
		"The serial of the document's printer or of this printer is unknown: it cannot be reprinted by number."},
}

// byStatus explains the native status that comes with "PRINTER ERROR".
var byStatus = map[int]text{
	2:  {"Carta quasi esaurita: sostituire il rotolo e riprovare.", "Paper low: replace the roll and try again."},
	3:  {"Stampante non in linea: accenderla o rimetterla in linea e riprovare.", "Printer offline: turn it on or put it online and try again."},
	9:  {"La data della stampante è precedente all'ultima chiusura: correggere data e ora della stampante.", "The printer date is before the last closure: fix the printer's date and time."},
	11: {"Sequenza di comandi errata: annullare lo scontrino in corso e riprovare.", "Wrong command sequence: cancel the open receipt and try again."},
	13: {"Valore non accettato dalla stampante: controllare importi e descrizioni.", "Value refused by the printer: check amounts and descriptions."},
	17: {"Operazione non possibile in questo momento: controllare la stampante e riprovare.", "Operation not possible now: check the printer and try again."},
	18: {"Operazione non possibile in questo momento: controllare la stampante e riprovare.", "Operation not possible now: check the printer and try again."},
	20: {"Importo oltre il massimo consentito: dividere la vendita.", "Amount over the maximum: split the sale."},
	21: {"Limite della stampante superato: eseguire la chiusura giornaliera.", "Printer limit reached: run the daily closure."},
	30: {"Codice fiscale, partita IVA o codice lotteria non validi: correggerlo.", "Invalid tax code, VAT number or lottery code: correct it."},
	34: {"Funzione non abilitata sulla stampante: contattare l'assistenza.", "Function not enabled on the printer: call support."},
	39: {"Documento già annullato: non è possibile annullarlo di nuovo.", "Document already voided: it cannot be voided again."},
	40: {"Documento già reso: non è possibile renderlo di nuovo.", "Document already refunded: it cannot be refunded again."},
}

// cannotTell explains an outcome nobody can reconcile: the printer cannot say its last document,
// so only the paper or the printer's electronic journal can tell whether it was issued. It
// comes before the printer's own code, because what to do next depends on it.
var cannotTell = struct{ unknown, alone text }{
	unknown: text{"Esito della stampa sconosciuto e la stampante non indica l'ultimo documento: controllare la carta o il giornale elettronico della stampante prima di riprovare, per non emettere il documento due volte.",
		"Print outcome unknown and the printer does not tell its last document: check the paper or the printer's electronic journal before trying again, so the document is not issued twice."},
	alone: text{"La stampante non indica l'ultimo documento emesso: controllarlo sulla carta o sul giornale elettronico della stampante.",
		"The printer does not tell its last issued document: check it on the paper or in the printer's electronic journal."},
}

// byKind is the fallback when the code is not known.
var byKind = []struct {
	kind error
	t    text
}{
	{fiscal.ErrOutcomeUnknown, text{"Esito della stampa sconosciuto: verificare l'ultimo documento prima di ristampare.",
		"Print outcome unknown: check the last document before printing again."}},
	{fiscal.ErrNotReady, text{"Stampante non pronta: controllare carta e collegamento, poi riprovare.",
		"Printer not ready: check paper and connection, then try again."}},
	{fiscal.ErrRefused, text{"Documento rifiutato dalla stampante: nulla è stato emesso, controllare i dati.",
		"Document refused by the printer: nothing was issued, check the data."}},
}

// Message explains err to a cashier in Italian ("it") or English ("en"), saying what to do
// next. It accepts any error; "" for nil.
func Message(err error, lang string) string {
	if err == nil {
		return ""
	}
	pick := func(t text) string {
		if lang == "en" {
			return t.en
		}
		return t.it
	}
	if errors.Is(err, fiscal.ErrCannotTell) {
		if errors.Is(err, fiscal.ErrOutcomeUnknown) {
			return pick(cannotTell.unknown)
		}
		return pick(cannotTell.alone)
	}
	var fe *fiscal.Error
	if errors.As(err, &fe) {
		if fe.Code == "PRINTER ERROR" {
			if t, ok := byStatus[fe.Status]; ok {
				return pick(t)
			}
		} else if t, ok := byCode[fe.Code]; ok {
			return pick(t)
		}
	}
	for _, k := range byKind {
		if errors.Is(err, k.kind) {
			return pick(k.t)
		}
	}
	return pick(text{"Errore della stampante fiscale: controllare la stampante e riprovare.",
		"Fiscal printer error: check the printer and try again."})
}

// Codes lists the printer and driver codes Message explains, so a front end with texts of its
// own can check it has one for each.
func Codes() []string {
	out := make([]string, 0, len(byCode))
	for c := range byCode {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// Statuses lists the native statuses of "PRINTER ERROR" that Message explains.
func Statuses() []int {
	out := make([]int, 0, len(byStatus))
	for s := range byStatus {
		out = append(out, s)
	}
	sort.Ints(out)
	return out
}
