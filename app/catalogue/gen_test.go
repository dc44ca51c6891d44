package catalogue

import (
	"fmt"
	"math/rand/v2"

	"till/app/checkout"
	"till/money"
)

// Words of Italian shop products, to make catalogues that look like a real one: a kind, a
// variety, sometimes a brand-like maker, a size.
var (
	genKinds = []string{"Caffè", "Caffè d'orzo", "Pasta di semola", "Spaghetti", "Penne rigate", "Fusilli",
		"Biscotti", "Fette biscottate", "Latte", "Yogurt", "Mozzarella", "Parmigiano Reggiano", "Grana Padano",
		"Prosciutto crudo", "Prosciutto cotto", "Salame", "Olio extravergine d'oliva", "Aceto balsamico",
		"Passata di pomodoro", "Pomodori pelati", "Tonno all'olio", "Acqua minerale", "Acqua frizzante",
		"Birra", "Vino rosso", "Vino bianco", "Succo di frutta", "Tè freddo", "Cioccolato fondente",
		"Crema spalmabile", "Marmellata", "Miele", "Riso Carnaroli", "Farina", "Zucchero", "Sale fino",
		"Pane", "Grissini", "Crackers", "Taralli", "Patatine", "Gelato", "Detersivo", "Sapone", "Carta igienica"}
	genVarieties = []string{"integrale", "biologico", "classico", "al limone", "all'arancia", "alla pesca",
		"senza glutine", "light", "extra", "fresco", "stagionato", "dolce", "piccante", "al naturale",
		"con nocciole", "alla fragola", "ai cereali", "tradizionale", "di montagna", "pugliese", "siciliano",
		"toscano", "emiliano", "ligure", "veneto", "campano", "DOP", "IGP", "bio", "maxi", "mini"}
	genMakers = []string{"Bottega Rossi", "Fratelli Bianchi", "Casa Verdi", "Molino Esposito", "Antica Romano",
		"Colombo", "Ricci & Figli", "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini",
		"Costa", "Giordano", "Rizzo", "Lombardi", "Moretti", "Barbieri"}
	genSizes = []string{"250g", "500g", "1kg", "125g", "33cl", "50cl", "75cl", "1l", "1,5l", "6x1,5l", "200ml", "4 pz", "10 pz"}
)

// genProducts makes n products with unique codes, some with a barcode, in a few categories.
func genProducts(n int, seed uint64) []checkout.Product {
	r := rand.New(rand.NewPCG(seed, seed+1))
	pick := func(list []string) string { return list[r.IntN(len(list))] }
	out := make([]checkout.Product, n)
	for i := range out {
		name := pick(genKinds) + " " + pick(genVarieties)
		if r.IntN(2) == 0 {
			name += " " + pick(genMakers)
		}
		name += " " + pick(genSizes)
		p := checkout.Product{
			ID: fmt.Sprintf("id%d", i), Code: fmt.Sprintf("A%06d", i), Name: name,
			Price: money.Cents(50 + r.IntN(5000)), DepartmentID: "dep", CategoryID: fmt.Sprintf("cat%d", i%7), Active: true,
		}
		if i%3 == 0 {
			p.Barcodes = []string{withCheckDigit(fmt.Sprintf("80%010d", i))}
		}
		out[i] = p
	}
	return out
}

// withCheckDigit appends the EAN/UPC check digit to digits, computed the way a label printer
// does (an independent write-up of ValidBarcode's rule, so one cannot hide the other's bug).
func withCheckDigit(digits string) string {
	sum := 0
	for i := 0; i < len(digits); i++ {
		d := int(digits[len(digits)-1-i] - '0')
		if i%2 == 0 {
			sum += 3 * d
		} else {
			sum += d
		}
	}
	return digits + string(rune('0'+(10-sum%10)%10))
}
