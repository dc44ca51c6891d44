// Package fatturapa builds FatturaPA FPR12 electronic invoices (schema v1.2.2) from a till
// sale with VAT-included prices, and validates the identifiers they carry (P.IVA, codice
// fiscale, SdI recipient code). It only builds XML; sending it to SdI is an intermediary's job.
package fatturapa

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"till/fiscal"
	"till/money"
)

// Namespace of FPR12 documents.
const Namespace = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"

// Document types the till issues.
const (
	Invoice    = "TD01"
	CreditNote = "TD04"
)

// Address is a Sede.
type Address struct {
	Street   string // Indirizzo
	Number   string // NumeroCivico, optional
	CAP      string // 5 digits
	City     string // Comune
	Province string // 2 capitals, optional
	Country  string // Nazione, "IT" when empty
}

// Party is the seller or the customer. A company has Company; a person Name and Surname.
type Party struct {
	VATNumber string // partita IVA, 11 digits (IT)
	TaxCode   string // codice fiscale, 16 characters or 11 digits
	Company   string
	Name      string
	Surname   string
	Address   Address
}

// Document is everything an invoice needs. Lines and payments are the till's own, with
// VAT-included prices.
type Document struct {
	Type            string // Invoice or CreditNote
	Number          string // yearly progressive, see FormatNumber
	Date            time.Time
	Seller          Party
	RegimeFiscale   string // "RF01" when empty
	Customer        Party
	RecipientCode   string // CodiceDestinatario; "0000000" when empty (private customer or PEC)
	PEC             string // PECDestinatario, optional
	TransmissionID  string // ProgressivoInvio, ≤ 10 letters/digits; from Number when empty
	TransmitterCode string // IdTrasmittente/IdCodice; the seller's P.IVA when empty
	Lines           []fiscal.Line
	Payments        []fiscal.Payment
	// Linked are the invoices a credit note corrects (DatiFattureCollegate); a credit note
	// needs at least one.
	Linked []Linked
}

// Linked is an earlier invoice a document refers to.
type Linked struct {
	Number string    // IdDocumento, as that invoice has it
	Date   time.Time // optional
}

// Result is the built invoice.
type Result struct {
	XML     []byte
	Total   money.Cents // ImportoTotaleDocumento
	Summary []Summary
}

// FormatNumber formats a yearly progressive number the usual way: FormatNumber(12, 2026) is
// "12/2026". The caller keeps the counter; it restarts at 1 each year.
func FormatNumber(seq, year int) string { return fmt.Sprintf("%d/%d", seq, year) }

// paymentCodes are the ModalitaPagamento codes. Meal vouchers have none: their share is left
// out of DatiPagamento rather than given an invented code.
var paymentCodes = map[fiscal.PaymentMethod]string{fiscal.Cash: "MP01", fiscal.Card: "MP08"}

// Build validates d and returns the FPR12 XML. Errors are *FieldError wrapping ErrInvalid.
func Build(d Document) (Result, error) {
	if err := validate(&d); err != nil {
		return Result{}, err
	}
	lines, sums := splitVAT(d.Lines)
	var doc document
	doc.Versione, doc.NSp = "FPR12", Namespace
	dt := &doc.Header.DatiTrasmissione
	dt.IdTrasmittente = idFiscale{IdPaese: "IT", IdCodice: d.TransmitterCode}
	dt.ProgressivoInvio, dt.FormatoTrasmissione = d.TransmissionID, "FPR12"
	dt.CodiceDestinatario, dt.PECDestinatario = d.RecipientCode, d.PEC

	ced := &doc.Header.CedentePrestatore
	ced.DatiAnagrafici.IdFiscaleIVA = idFiscale{IdPaese: "IT", IdCodice: d.Seller.VATNumber}
	ced.DatiAnagrafici.CodiceFiscale = d.Seller.TaxCode
	ced.DatiAnagrafici.Anagrafica = names(d.Seller)
	ced.DatiAnagrafici.RegimeFiscale = d.RegimeFiscale
	ced.Sede = address(d.Seller.Address)

	ces := &doc.Header.CessionarioCommittente
	if d.Customer.VATNumber != "" {
		ces.DatiAnagrafici.IdFiscaleIVA = &idFiscale{IdPaese: "IT", IdCodice: d.Customer.VATNumber}
	}
	ces.DatiAnagrafici.CodiceFiscale = d.Customer.TaxCode
	ces.DatiAnagrafici.Anagrafica = names(d.Customer)
	ces.Sede = address(d.Customer.Address)

	var total money.Cents
	for i, l := range lines {
		total += l.gross
		dl := dettaglioLinea{
			NumeroLinea: i + 1, Descrizione: latin(l.Description, 1000), Quantita: quantity(l.QtyMilli),
			PrezzoUnitario: unitPrice(l.net, l.QtyMilli), PrezzoTotale: l.net.Dot(),
			AliquotaIVA: l.VATRate.Dot(), Natura: l.Nature,
		}
		if l.Discount > 0 {
			dl.PrezzoUnitario, dl.ScontoMaggiorazione = discounted(l)
		}
		doc.Body.DatiBeniServizi.DettaglioLinee = append(doc.Body.DatiBeniServizi.DettaglioLinee, dl)
	}
	for _, s := range sums {
		r := datiRiepilogo{AliquotaIVA: s.Rate.Dot(), Natura: s.Nature, ImponibileImporto: s.Taxable.Dot(), Imposta: s.Tax.Dot()}
		if s.Nature == "" {
			r.EsigibilitaIVA = "I"
		}
		doc.Body.DatiBeniServizi.DatiRiepilogo = append(doc.Body.DatiBeniServizi.DatiRiepilogo, r)
	}
	doc.Body.DatiGenerali.DatiGeneraliDocumento = datiGeneraliDocumento{TipoDocumento: d.Type, Divisa: "EUR",
		Data: d.Date.Format("2006-01-02"), Numero: d.Number, ImportoTotaleDocumento: total.Dot()}
	for _, l := range d.Linked {
		c := datiCorrelati{IdDocumento: l.Number}
		if !l.Date.IsZero() {
			c.Data = l.Date.Format("2006-01-02")
		}
		doc.Body.DatiGenerali.DatiFattureCollegate = append(doc.Body.DatiGenerali.DatiFattureCollegate, c)
	}
	doc.Body.DatiPagamento = payments(d.Payments)

	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return Result{}, fmt.Errorf("fatturapa: encode: %w", err)
	}
	b.WriteByte('\n')
	return Result{XML: b.Bytes(), Total: total, Summary: sums}, nil
}

func names(p Party) anagrafica {
	if p.Company != "" {
		return anagrafica{Denominazione: latin(p.Company, 80)}
	}
	return anagrafica{Nome: latin(p.Name, 60), Cognome: latin(p.Surname, 60)}
}

func address(a Address) sede {
	return sede{Indirizzo: latin(a.Street, 60), NumeroCivico: latin(a.Number, 8), CAP: a.CAP,
		Comune: latin(a.City, 60), Provincia: a.Province, Nazione: a.Country}
}

func payments(ps []fiscal.Payment) *datiPagamento {
	var dp datiPagamento
	for _, p := range ps {
		if code, ok := paymentCodes[p.Method]; ok {
			dp.DettaglioPagamento = append(dp.DettaglioPagamento, dettaglioPagamento{ModalitaPagamento: code, ImportoPagamento: p.Amount.Dot()})
		}
	}
	if len(dp.DettaglioPagamento) == 0 {
		return nil
	}
	dp.CondizioniPagamento = "TP02" // paid in full at the till
	return &dp
}

// latin keeps what the schema's Latin types accept (Basic Latin and Latin-1), writes the euro
// sign as EUR, drops control characters, and cuts to n runes.
func latin(s string, n int) string {
	var b []rune
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r == '€':
			b = append(b, 'E', 'U', 'R')
		case r < 0x20 || (r >= 0x7f && r < 0xa0):
		case r <= 0xff:
			b = append(b, r)
		default:
			b = append(b, '?')
		}
	}
	if len(b) > n {
		b = b[:n]
	}
	return string(b)
}
