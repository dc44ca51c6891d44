package salecli

import (
	"flag"
	"strings"

	"till/app/checkout"
	"till/app/errtext"
)

// customerFlags are the invoice customer given on the command line.
type customerFlags struct {
	vat, cf, name, address, sdi, pec string
}

func (c *customerFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.vat, "customer-vat", "", "customer's P.IVA (invoice)")
	fs.StringVar(&c.cf, "customer-cf", "", "customer's codice fiscale (invoice)")
	fs.StringVar(&c.name, "customer-name", "", `company name, or "Nome Cognome" of a person (invoice)`)
	fs.StringVar(&c.address, "customer-address", "", `"Via Roma 1, 20121, Milano, MI" (invoice)`)
	fs.StringVar(&c.sdi, "customer-sdi", "", "SdI recipient code, 7 characters (invoice)")
	fs.StringVar(&c.pec, "customer-pec", "", "PEC address, when there is no SdI code (invoice)")
}

// customer builds the invoice customer: with a P.IVA the name is a company name, otherwise
// "Nome Cognome" of a person.
func (c customerFlags) customer() (checkout.Customer, error) {
	parts := strings.Split(c.address, ",")
	if len(parts) != 4 {
		return checkout.Customer{}, errtext.Say("cli.sale.customer.address", map[string]any{"Address": c.address})
	}
	cu := checkout.Customer{VATNumber: c.vat, TaxCode: c.cf, Address: strings.TrimSpace(parts[0]), CAP: strings.TrimSpace(parts[1]),
		City: strings.TrimSpace(parts[2]), Province: strings.TrimSpace(parts[3]), RecipientCode: c.sdi, PEC: c.pec}
	if c.vat != "" {
		cu.Company = c.name
	} else {
		name, surname, _ := strings.Cut(strings.TrimSpace(c.name), " ")
		cu.Name, cu.Surname = name, strings.TrimSpace(surname)
	}
	if cu.RecipientCode == "" && cu.PEC == "" {
		cu.RecipientCode = checkout.PrivateRecipient
	}
	cu.Normalize()
	return cu, cu.Validate()
}
