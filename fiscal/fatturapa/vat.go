package fatturapa

import (
	"fmt"
	"math/big"
	"sort"
	"strings"

	"till/fiscal"
	"till/money"
)

// Summary is one DatiRiepilogo: the taxable base and tax of one (rate, nature).
type Summary struct {
	Rate    money.Rate
	Nature  string
	Taxable money.Cents
	Tax     money.Cents
}

// netLine is a line with its net-of-VAT total.
type netLine struct {
	fiscal.Line
	gross money.Cents
	net   money.Cents
}

// splitVAT works out the summaries and each line's net total from VAT-included prices.
//
// Rounding approach: the tax is computed once per rate on the gross of that rate (as the RT
// does), Imposta = VATIncluded(gross), Imponibile = gross − Imposta, so Imponibile + Imposta is
// the gross to the cent and ImportoTotaleDocumento is the sale total. Each line's net is its own
// gross less its own rounded VAT; the cents by which those nets miss Imponibile (at most half a
// cent per line) are handed out one by one to the largest lines, so Σ PrezzoTotale equals
// ImponibileImporto exactly and SdI's consistency check passes without relying on its tolerance.
func splitVAT(lines []fiscal.Line) ([]netLine, []Summary) {
	out := make([]netLine, len(lines))
	type key struct {
		rate   money.Rate
		nature string
	}
	var order []key
	groups := map[key][]int{}
	for i, l := range lines {
		out[i] = netLine{Line: l, gross: l.Amount()}
		k := key{l.VATRate, l.Nature}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], i)
	}
	sums := make([]Summary, 0, len(order))
	for _, k := range order {
		idx := groups[k]
		var gross, nets money.Cents
		for _, i := range idx {
			gross += out[i].gross
			out[i].net = out[i].gross - money.VATIncluded(out[i].gross, k.rate)
			nets += out[i].net
		}
		tax := money.VATIncluded(gross, k.rate)
		s := Summary{Rate: k.rate, Nature: k.nature, Taxable: gross - tax, Tax: tax}
		distribute(out, idx, s.Taxable-nets)
		sums = append(sums, s)
	}
	return out, sums
}

// discounted writes a discounted line as SdI checks it (error 00423): PrezzoTotale =
// (PrezzoUnitario − sconto per unit) × Quantita. PrezzoTotale stays the line's net after all
// its discounts (splitVAT), so Σ PrezzoTotale and DatiRiepilogo are exact; the discount is
// written net of VAT, off = Discount − its VAT (at least a cent for any real rate), as one
// ScontoMaggiorazione SC with Importo = off / Quantita, and PrezzoUnitario = (net + off) /
// Quantita, the price before the discount. Both with 8 decimals, (PrezzoUnitario − Importo) ×
// Quantita misses PrezzoTotale by far less than a cent. An Importo rather than a Percentuale:
// a percentage of two decimals, after the VAT and the sale discount's share, could miss by a
// cent, and the line's discount may be the sum of two.
func discounted(l netLine) (string, []scontoMaggiorazione) {
	off := l.Discount - money.VATIncluded(l.Discount, l.VATRate)
	return unitPrice(l.net+off, l.QtyMilli), []scontoMaggiorazione{{Tipo: "SC", Importo: unitPrice(off, l.QtyMilli)}}
}

// distribute adds residual cents, one per line, to the lines with the largest gross first.
func distribute(out []netLine, idx []int, residual money.Cents) {
	byGross := append([]int(nil), idx...)
	sort.SliceStable(byGross, func(a, b int) bool { return out[byGross[a]].gross > out[byGross[b]].gross })
	step := money.Cents(1)
	if residual < 0 {
		step = -1
	}
	for pass := 0; residual != 0 && pass < 4; pass++ { // bounded: the residual is below one cent per line
		for _, i := range byGross {
			if residual == 0 {
				break
			}
			if out[i].net+step < 0 || out[i].net+step > out[i].gross {
				continue
			}
			out[i].net += step
			residual -= step
		}
	}
}

// unitPrice is net / quantity with 8 decimals, rounded half up: PrezzoUnitario × Quantita then
// equals PrezzoTotale within far less than a cent, which SdI checks.
func unitPrice(net money.Cents, qtyMilli int64) string {
	n := new(big.Int).Mul(big.NewInt(int64(net)), big.NewInt(1_000_000_000)) // cents·1e9/qty = 1e-8 €
	q := big.NewInt(qtyMilli)
	n.Add(n, new(big.Int).Quo(q, big.NewInt(2)))
	n.Quo(n, q)
	return decimals(n.String(), 8)
}

// decimals writes an integer count of 10^-places units with a dot, keeping at least 2 places.
func decimals(digits string, places int) string {
	for len(digits) <= places {
		digits = "0" + digits
	}
	whole, frac := digits[:len(digits)-places], digits[len(digits)-places:]
	frac = strings.TrimRight(frac, "0")
	for len(frac) < 2 {
		frac += "0"
	}
	return whole + "." + frac
}

// quantity writes thousandths as "2.00" or "0.25" or "1.005".
func quantity(milli int64) string { return decimals(fmt.Sprint(milli), 3) }
