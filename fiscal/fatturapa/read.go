package fatturapa

import (
	"encoding/xml"
	"fmt"
	"time"
)

// Issued is what a credit note takes from the invoice it corrects: the same parties, the
// same recipient, and the invoice's number and date to refer to.
type Issued struct {
	Seller        Party
	RegimeFiscale string
	Customer      Party
	RecipientCode string
	PEC           string
	Number        string
	Date          time.Time
}

// issuedXML reads the parts of an FPR12 document Issued needs; the root is not checked by
// name, so a namespace prefix of any spelling reads the same.
type issuedXML struct {
	Header header `xml:"FatturaElettronicaHeader"`
	Body   struct {
		DatiGenerali struct {
			DatiGeneraliDocumento datiGeneraliDocumento `xml:"DatiGeneraliDocumento"`
		} `xml:"DatiGenerali"`
	} `xml:"FatturaElettronicaBody"`
}

// ReadIssued reads an invoice this till built (as stored with it) for the credit note that
// corrects it. It is a decoder of stored bytes: anything missing is an error, never a guess.
func ReadIssued(invoice []byte) (Issued, error) {
	var x issuedXML
	if err := xml.Unmarshal(invoice, &x); err != nil {
		return Issued{}, fmt.Errorf("fatturapa: read invoice: %w", err)
	}
	g := x.Body.DatiGenerali.DatiGeneraliDocumento
	date, err := time.Parse("2006-01-02", g.Data)
	if err != nil || g.Numero == "" || g.TipoDocumento != Invoice {
		return Issued{}, fmt.Errorf("fatturapa: read invoice: %w", fieldErr("invoice", ReasonFormat, g.Numero))
	}
	h := x.Header
	ced, ces := h.CedentePrestatore.DatiAnagrafici, h.CessionarioCommittente.DatiAnagrafici
	out := Issued{
		Seller: Party{VATNumber: ced.IdFiscaleIVA.IdCodice, TaxCode: ced.CodiceFiscale, Company: ced.Anagrafica.Denominazione,
			Name: ced.Anagrafica.Nome, Surname: ced.Anagrafica.Cognome, Address: partyAddress(h.CedentePrestatore.Sede)},
		RegimeFiscale: ced.RegimeFiscale,
		Customer: Party{TaxCode: ces.CodiceFiscale, Company: ces.Anagrafica.Denominazione, Name: ces.Anagrafica.Nome,
			Surname: ces.Anagrafica.Cognome, Address: partyAddress(h.CessionarioCommittente.Sede)},
		RecipientCode: h.DatiTrasmissione.CodiceDestinatario,
		PEC:           h.DatiTrasmissione.PECDestinatario,
		Number:        g.Numero,
		Date:          date,
	}
	if ces.IdFiscaleIVA != nil {
		out.Customer.VATNumber = ces.IdFiscaleIVA.IdCodice
	}
	return out, nil
}

func partyAddress(s sede) Address {
	return Address{Street: s.Indirizzo, Number: s.NumeroCivico, CAP: s.CAP, City: s.Comune, Province: s.Provincia, Country: s.Nazione}
}
