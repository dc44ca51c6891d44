package catalogue

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalid is wrapped by every *Invalid, so callers that only need to know "the catalogue
// was refused" can use errors.Is.
var ErrInvalid = errors.New("invalid catalogue")

// Problem codes: stable keys a screen can translate by, with Field.
const (
	ProblemHeader     = "header"      // the first line is not the expected header
	ProblemColumns    = "columns"     // a line has the wrong number of fields
	ProblemUTF8       = "utf8"        // a field is not UTF-8 (a file saved as ANSI/Windows-1252)
	ProblemQuotes     = "quotes"      // a quoted field is not closed or a quote is misplaced
	ProblemControl    = "control"     // a line break, tab or other control character inside a field
	ProblemEmpty      = "empty"       // the file holds no products
	ProblemMissing    = "missing"     // a required field is empty
	ProblemDuplicate  = "duplicate"   // a code, barcode, number or name used twice
	ProblemPrice      = "price"       // not an amount
	ProblemPriceRange = "price_range" // not over zero, or over money.MaxAmount
	ProblemDepartment = "department"  // no department with that number (or id)
	ProblemBarcode    = "barcode"     // not an EAN-13, EAN-8 or UPC-A with the right check digit
	ProblemCategory   = "category"    // a category the catalogue does not hold
	ProblemVAT        = "vat"         // a department's VAT rate out of range
	ProblemNature     = "nature"      // a department's nature missing with rate 0, or given with a rate
)

// Problem is one thing wrong with a catalogue: a cell of a CSV file, a field of a product being
// saved, or an item of a back office snapshot.
type Problem struct {
	Line      int    // 1-based line of the file, the header being line 1; 0 outside a file
	Field     string // "code", "barcode", "name", "price", "department", "category", "number", "vat_rate", "nature"; "" for the whole line
	Code      string // one of the Problem… constants
	Value     string // the text that is wrong, as found
	OtherLine int    // for a duplicate within a file: the line that has it first
	Holder    string // for a duplicate in the database: the code of the product that has it
}

// fieldNames are the fields as the person who wrote the file knows them: Italian, English.
var fieldNames = map[string][2]string{
	"code":       {"codice", "code"},
	"barcode":    {"codice a barre", "barcode"},
	"name":       {"nome", "name"},
	"price":      {"prezzo", "price"},
	"department": {"reparto", "department"},
	"category":   {"categoria", "category"},
	"number":     {"numero", "number"},
	"vat_rate":   {"aliquota IVA", "VAT rate"},
	"nature":     {"natura", "nature"},
}

// problemTexts say what is wrong and how to fix it: Italian, English. %[1]s is the value.
var problemTexts = map[string][2]string{
	ProblemHeader: {"intestazione mancante o errata: la prima riga deve essere " + Header,
		"missing or wrong header: the first line must be " + Header},
	ProblemColumns: {"%[1]s colonne invece di 6: controllare separatori e virgolette",
		"%[1]s columns instead of 6: check the separators and quotes"},
	ProblemUTF8: {"testo non UTF-8: salvare il file come «CSV UTF-8»",
		`text is not UTF-8: save the file as "CSV UTF-8"`},
	ProblemQuotes: {"virgolette non chiuse o fuori posto", "unclosed or misplaced quotes"},
	ProblemControl: {"contiene un a capo, una tabulazione o un altro carattere di controllo",
		"holds a line break, a tab or another control character"},
	ProblemEmpty:   {"il file non contiene prodotti", "the file holds no products"},
	ProblemMissing: {"obbligatorio", "required"},
	ProblemPrice: {"«%[1]s» non è un prezzo: scrivere ad esempio 1,80",
		"%[1]q is not a price: write e.g. 1,80"},
	ProblemPriceRange: {"«%[1]s» deve essere maggiore di zero e al massimo 99.999,99",
		"%[1]q must be over zero and at most 99.999,99"},
	ProblemDepartment: {"reparto «%[1]s» inesistente: usare il numero di un reparto della cassa",
		"no department %[1]q: use the number of one of the till's departments"},
	ProblemBarcode: {"«%[1]s» non è un EAN-13, EAN-8 o UPC-A valido: cifre mancanti o cifra di controllo errata",
		"%[1]q is not a valid EAN-13, EAN-8 or UPC-A: digits missing or wrong check digit"},
	ProblemCategory: {"categoria «%[1]s» inesistente", "no category %[1]q"},
	ProblemVAT: {"aliquota «%[1]s» non valida: tra 0 e 99,99%%",
		"VAT rate %[1]q is not valid: between 0 and 99.99%%"},
	ProblemNature: {"natura «%[1]s» non valida: N1…N7 con aliquota 0, vuota con un'aliquota",
		"nature %[1]q is not valid: N1…N7 with rate 0, empty with a rate"},
}

// Message says the problem to a person, in Italian or (en) English, with the line and field.
func (p Problem) Message(en bool) string {
	lang := 0
	if en {
		lang = 1
	}
	var body string
	switch {
	case p.Code == ProblemDuplicate && p.OtherLine > 0:
		body = fmt.Sprintf([2]string{"«%s» già presente alla riga %d", "%q already on line %d"}[lang], p.Value, p.OtherLine)
	case p.Code == ProblemDuplicate && p.Holder != "":
		body = fmt.Sprintf([2]string{"«%s» già usato dal prodotto %s", "%q already used by product %s"}[lang], p.Value, p.Holder)
	case p.Code == ProblemDuplicate:
		body = fmt.Sprintf([2]string{"«%s» già usato", "%q already used"}[lang], p.Value)
	default:
		text, ok := problemTexts[p.Code]
		if !ok {
			text = [2]string{"«%[1]s» non valido", "%[1]q is not valid"}
		}
		body = text[lang]
		if strings.Contains(body, "%[1]") {
			body = fmt.Sprintf(body, p.Value)
		}
	}
	field := p.Field
	if names, ok := fieldNames[field]; ok {
		field = names[lang]
	}
	line := [2]string{"riga", "line"}[lang]
	switch {
	case p.Line > 0 && field != "":
		return fmt.Sprintf("%s %d, %s: %s", line, p.Line, field, body)
	case p.Line > 0:
		return fmt.Sprintf("%s %d: %s", line, p.Line, body)
	case field != "":
		return field + ": " + body
	}
	return body
}

// Invalid is a catalogue refused as a whole, with every problem found (not only the first), in
// the order of the file.
type Invalid struct {
	Problems []Problem
}

// Error is in English, for logs; people read Problem.Message.
func (e *Invalid) Error() string {
	const shown = 5
	var b strings.Builder
	fmt.Fprintf(&b, "invalid catalogue (%d problems)", len(e.Problems))
	for i, p := range e.Problems {
		if i == shown {
			fmt.Fprintf(&b, "; and %d more", len(e.Problems)-shown)
			break
		}
		b.WriteString("; ")
		b.WriteString(p.Message(true))
	}
	return b.String()
}

func (e *Invalid) Unwrap() error { return ErrInvalid }
