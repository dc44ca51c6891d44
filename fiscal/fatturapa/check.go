package fatturapa

import (
	"strconv"
	"strings"
	"unicode"

	"till/fiscal"
	"till/fiscal/taxid"
)

// natures are the Natura codes of schema v1.2.2.
var natures = map[string]bool{"N1": true, "N2.1": true, "N2.2": true, "N3.1": true, "N3.2": true,
	"N3.3": true, "N3.4": true, "N3.5": true, "N3.6": true, "N4": true, "N5": true, "N6.1": true,
	"N6.2": true, "N6.3": true, "N6.4": true, "N6.5": true, "N6.6": true, "N6.7": true, "N6.8": true,
	"N6.9": true, "N7": true}

// validate checks d and fills defaults; the first problem found is returned.
func validate(d *Document) error {
	if d.Type != Invoice && d.Type != CreditNote {
		return fieldErr("type", ReasonValue, d.Type)
	}
	if d.Number == "" || len(d.Number) > 20 || !strings.ContainsFunc(d.Number, unicode.IsDigit) ||
		strings.ContainsFunc(d.Number, func(r rune) bool { return r < 0x20 || r > 0x7e }) {
		return fieldErr("number", ReasonFormat, d.Number)
	}
	if d.Date.IsZero() {
		return fieldErr("date", ReasonMissing, "")
	}
	if d.Type == CreditNote && len(d.Linked) == 0 {
		return fieldErr("linked", ReasonMissing, "")
	}
	for _, l := range d.Linked {
		if l.Number == "" || len(l.Number) > 20 || strings.ContainsFunc(l.Number, func(r rune) bool { return r < 0x20 || r > 0x7e }) {
			return fieldErr("linked", ReasonFormat, l.Number)
		}
	}
	if d.RegimeFiscale == "" {
		d.RegimeFiscale = "RF01"
	}
	if err := checkParty("seller", &d.Seller, true); err != nil {
		return err
	}
	if err := checkParty("customer", &d.Customer, false); err != nil {
		return err
	}
	if d.RecipientCode == "" {
		d.RecipientCode = "0000000"
	}
	if !ValidCodiceDestinatario(d.RecipientCode) {
		return fieldErr("recipientCode", ReasonFormat, d.RecipientCode)
	}
	if d.PEC != "" && !rePEC.MatchString(d.PEC) {
		return fieldErr("pec", ReasonFormat, d.PEC)
	}
	if d.TransmitterCode == "" {
		d.TransmitterCode = d.Seller.VATNumber
	}
	if d.TransmissionID == "" {
		d.TransmissionID = transmissionID(d.Number)
	}
	if !reProgr.MatchString(d.TransmissionID) {
		return fieldErr("transmissionID", ReasonFormat, d.TransmissionID)
	}
	return checkLines(d.Lines, d.Payments)
}

// transmissionID derives ProgressivoInvio from the number: its letters and digits, last 10.
func transmissionID(number string) string {
	var b []byte
	for _, c := range []byte(number) {
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' {
			b = append(b, c)
		}
	}
	if len(b) > 10 {
		b = b[len(b)-10:]
	}
	return string(b)
}

func checkParty(field string, p *Party, seller bool) error {
	p.VATNumber = strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(p.VATNumber)), "IT")
	p.TaxCode = strings.ToUpper(strings.TrimSpace(p.TaxCode))
	switch {
	case seller && p.VATNumber == "":
		return fieldErr(field+".vatNumber", ReasonMissing, "")
	case p.VATNumber == "" && p.TaxCode == "":
		return fieldErr(field+".taxCode", ReasonMissing, "")
	case p.VATNumber != "" && !taxid.PartitaIVA(p.VATNumber):
		return fieldErr(field+".vatNumber", ReasonChecksum, p.VATNumber)
	case p.TaxCode != "" && !taxid.CodiceFiscale(p.TaxCode):
		return fieldErr(field+".taxCode", ReasonChecksum, p.TaxCode)
	case p.Company == "" && (p.Name == "" || p.Surname == ""):
		return fieldErr(field+".name", ReasonMissing, "")
	}
	a := &p.Address
	if a.Country == "" {
		a.Country = "IT"
	}
	a.Province = strings.ToUpper(a.Province)
	switch {
	case strings.TrimSpace(a.Street) == "":
		return fieldErr(field+".address.street", ReasonMissing, "")
	case !reCAP.MatchString(a.CAP):
		return fieldErr(field+".address.cap", ReasonFormat, a.CAP)
	case strings.TrimSpace(a.City) == "":
		return fieldErr(field+".address.city", ReasonMissing, "")
	case a.Province != "" && !reProv.MatchString(a.Province):
		return fieldErr(field+".address.province", ReasonFormat, a.Province)
	case len(a.Country) != 2:
		return fieldErr(field+".address.country", ReasonFormat, a.Country)
	}
	return nil
}

func checkLines(lines []fiscal.Line, pays []fiscal.Payment) error {
	if len(lines) == 0 {
		return fieldErr("lines", ReasonMissing, "")
	}
	for i, l := range lines {
		f := func(s string) string { return "lines[" + strconv.Itoa(i) + "]." + s }
		switch {
		case strings.TrimSpace(l.Description) == "":
			return fieldErr(f("description"), ReasonMissing, "")
		case l.QtyMilli <= 0:
			return fieldErr(f("quantity"), ReasonValue, strconv.FormatInt(l.QtyMilli, 10))
		case l.UnitPrice < 0 || l.Discount < 0 || l.Amount() < 0:
			return fieldErr(f("price"), ReasonValue, l.UnitPrice.Plain())
		case l.VATRate < 0 || l.VATRate >= 10000:
			return fieldErr(f("vatRate"), ReasonValue, l.VATRate.String())
		case l.VATRate == 0 && !natures[l.Nature]:
			return fieldErr(f("nature"), ReasonValue, l.Nature)
		case l.VATRate != 0 && l.Nature != "":
			return fieldErr(f("nature"), ReasonValue, l.Nature)
		}
	}
	for i, p := range pays {
		if p.Amount <= 0 {
			return fieldErr("payments["+strconv.Itoa(i)+"].amount", ReasonValue, p.Amount.Plain())
		}
		if _, ok := paymentCodes[p.Method]; !ok && p.Method != fiscal.Coverflex {
			return fieldErr("payments["+strconv.Itoa(i)+"].method", ReasonValue, string(p.Method))
		}
	}
	return nil
}
