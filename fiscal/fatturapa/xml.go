package fatturapa

import "encoding/xml"

// The FPR12 elements the till fills, in schema order. Only the root is namespace-qualified;
// children are unqualified, as the schema (elementFormDefault unqualified) wants.

type document struct {
	XMLName  xml.Name `xml:"p:FatturaElettronica"`
	Versione string   `xml:"versione,attr"`
	NSp      string   `xml:"xmlns:p,attr"`
	Header   header   `xml:"FatturaElettronicaHeader"`
	Body     body     `xml:"FatturaElettronicaBody"`
}

type header struct {
	DatiTrasmissione       datiTrasmissione `xml:"DatiTrasmissione"`
	CedentePrestatore      cedente          `xml:"CedentePrestatore"`
	CessionarioCommittente cessionario      `xml:"CessionarioCommittente"`
}

type idFiscale struct {
	IdPaese  string `xml:"IdPaese"`
	IdCodice string `xml:"IdCodice"`
}

type datiTrasmissione struct {
	IdTrasmittente      idFiscale `xml:"IdTrasmittente"`
	ProgressivoInvio    string    `xml:"ProgressivoInvio"`
	FormatoTrasmissione string    `xml:"FormatoTrasmissione"`
	CodiceDestinatario  string    `xml:"CodiceDestinatario"`
	PECDestinatario     string    `xml:"PECDestinatario,omitempty"`
}

type anagrafica struct {
	Denominazione string `xml:"Denominazione,omitempty"`
	Nome          string `xml:"Nome,omitempty"`
	Cognome       string `xml:"Cognome,omitempty"`
}

type sede struct {
	Indirizzo    string `xml:"Indirizzo"`
	NumeroCivico string `xml:"NumeroCivico,omitempty"`
	CAP          string `xml:"CAP"`
	Comune       string `xml:"Comune"`
	Provincia    string `xml:"Provincia,omitempty"`
	Nazione      string `xml:"Nazione"`
}

type cedente struct {
	DatiAnagrafici struct {
		IdFiscaleIVA  idFiscale  `xml:"IdFiscaleIVA"`
		CodiceFiscale string     `xml:"CodiceFiscale,omitempty"`
		Anagrafica    anagrafica `xml:"Anagrafica"`
		RegimeFiscale string     `xml:"RegimeFiscale"`
	} `xml:"DatiAnagrafici"`
	Sede sede `xml:"Sede"`
}

type cessionario struct {
	DatiAnagrafici struct {
		IdFiscaleIVA  *idFiscale `xml:"IdFiscaleIVA,omitempty"`
		CodiceFiscale string     `xml:"CodiceFiscale,omitempty"`
		Anagrafica    anagrafica `xml:"Anagrafica"`
	} `xml:"DatiAnagrafici"`
	Sede sede `xml:"Sede"`
}

type body struct {
	DatiGenerali struct {
		DatiGeneraliDocumento datiGeneraliDocumento `xml:"DatiGeneraliDocumento"`
		DatiFattureCollegate  []datiCorrelati       `xml:"DatiFattureCollegate,omitempty"`
	} `xml:"DatiGenerali"`
	DatiBeniServizi struct {
		DettaglioLinee []dettaglioLinea `xml:"DettaglioLinee"`
		DatiRiepilogo  []datiRiepilogo  `xml:"DatiRiepilogo"`
	} `xml:"DatiBeniServizi"`
	DatiPagamento *datiPagamento `xml:"DatiPagamento,omitempty"`
}

type datiGeneraliDocumento struct {
	TipoDocumento          string `xml:"TipoDocumento"`
	Divisa                 string `xml:"Divisa"`
	Data                   string `xml:"Data"`
	Numero                 string `xml:"Numero"`
	ImportoTotaleDocumento string `xml:"ImportoTotaleDocumento"`
}

type dettaglioLinea struct {
	NumeroLinea         int                   `xml:"NumeroLinea"`
	Descrizione         string                `xml:"Descrizione"`
	Quantita            string                `xml:"Quantita"`
	PrezzoUnitario      string                `xml:"PrezzoUnitario"`
	ScontoMaggiorazione []scontoMaggiorazione `xml:"ScontoMaggiorazione,omitempty"`
	PrezzoTotale        string                `xml:"PrezzoTotale"`
	AliquotaIVA         string                `xml:"AliquotaIVA"`
	Natura              string                `xml:"Natura,omitempty"`
}

// scontoMaggiorazione is a discount (Tipo SC) or surcharge (MG) on the unit price: a
// Percentuale or an Importo per unit.
type scontoMaggiorazione struct {
	Tipo        string `xml:"Tipo"`
	Percentuale string `xml:"Percentuale,omitempty"`
	Importo     string `xml:"Importo,omitempty"`
}

type datiRiepilogo struct {
	AliquotaIVA       string `xml:"AliquotaIVA"`
	Natura            string `xml:"Natura,omitempty"`
	ImponibileImporto string `xml:"ImponibileImporto"`
	Imposta           string `xml:"Imposta"`
	EsigibilitaIVA    string `xml:"EsigibilitaIVA,omitempty"`
}

type datiPagamento struct {
	CondizioniPagamento string               `xml:"CondizioniPagamento"`
	DettaglioPagamento  []dettaglioPagamento `xml:"DettaglioPagamento"`
}

type dettaglioPagamento struct {
	ModalitaPagamento string `xml:"ModalitaPagamento"`
	ImportoPagamento  string `xml:"ImportoPagamento"`
}

// datiCorrelati is a DatiDocumentiCorrelatiType: here the invoice a credit note corrects.
type datiCorrelati struct {
	IdDocumento string `xml:"IdDocumento"`
	Data        string `xml:"Data,omitempty"`
}
