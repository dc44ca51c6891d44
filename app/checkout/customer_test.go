package checkout_test

import (
	"errors"
	"strings"
	"testing"

	"till/app/checkout"
)

// company is a valid business customer; tests change one field at a time.
func company() checkout.Customer {
	return checkout.Customer{Company: "Studio Bianchi S.n.c.", VATNumber: "12345678903", Address: "Corso Italia 10",
		CAP: "00184", City: "Roma", Province: "RM", RecipientCode: "ABC1234"}
}

func person() checkout.Customer {
	return checkout.Customer{Name: "Mario", Surname: "Rossi", TaxCode: "RSSMRA80A01H501U", Address: "Via Verdi 3",
		CAP: "10121", City: "Torino", Province: "TO"}
}

func TestCustomerValidateNamesTheWrongField(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(c *checkout.Customer)
		field  string
		reason string
	}{
		{"company is valid", func(c *checkout.Customer) {}, "", ""},
		{"person with codice fiscale only is valid", func(c *checkout.Customer) { *c = person() }, "", ""},
		{"company with PEC instead of code is valid", func(c *checkout.Customer) { c.RecipientCode, c.PEC = "", "studio@pec.it" }, "", ""},
		{"company with explicit 0000000 is valid", func(c *checkout.Customer) { c.RecipientCode = "0000000" }, "", ""},
		{"company CF of 11 digits is valid", func(c *checkout.Customer) { c.TaxCode = "12345678903" }, "", ""},
		{"no company and no name", func(c *checkout.Customer) { c.Company = "" }, checkout.FieldCompany, checkout.ReasonMissing},
		{"name without surname", func(c *checkout.Customer) { c.Company, c.Name = "", "Mario" }, checkout.FieldSurname, checkout.ReasonMissing},
		{"surname without name", func(c *checkout.Customer) { c.Company, c.Surname = "", "Rossi" }, checkout.FieldName, checkout.ReasonMissing},
		{"company name too long", func(c *checkout.Customer) { c.Company = strings.Repeat("a", 81) }, checkout.FieldCompany, checkout.ReasonTooLong},
		{"neither P.IVA nor CF", func(c *checkout.Customer) { c.VATNumber = "" }, checkout.FieldVATNumber, checkout.ReasonMissing},
		{"P.IVA with letters", func(c *checkout.Customer) { c.VATNumber = "1234567890A" }, checkout.FieldVATNumber, checkout.ReasonFormat},
		{"P.IVA too short", func(c *checkout.Customer) { c.VATNumber = "1234567890" }, checkout.FieldVATNumber, checkout.ReasonFormat},
		{"P.IVA wrong check digit", func(c *checkout.Customer) { c.VATNumber = "12345678901" }, checkout.FieldVATNumber, checkout.ReasonChecksum},
		{"CF wrong length", func(c *checkout.Customer) { c.TaxCode = "RSSMRA80A01H501" }, checkout.FieldTaxCode, checkout.ReasonFormat},
		{"CF wrong check letter", func(c *checkout.Customer) { *c = person(); c.TaxCode = "RSSMRA80A01H501A" }, checkout.FieldTaxCode, checkout.ReasonChecksum},
		{"no address", func(c *checkout.Customer) { c.Address = " " }, checkout.FieldAddress, checkout.ReasonMissing},
		{"no CAP", func(c *checkout.Customer) { c.CAP = "" }, checkout.FieldCAP, checkout.ReasonMissing},
		{"CAP of 4 digits", func(c *checkout.Customer) { c.CAP = "0018" }, checkout.FieldCAP, checkout.ReasonFormat},
		{"no city", func(c *checkout.Customer) { c.City = "" }, checkout.FieldCity, checkout.ReasonMissing},
		{"no province", func(c *checkout.Customer) { c.Province = "" }, checkout.FieldProvince, checkout.ReasonMissing},
		{"province of 3 letters", func(c *checkout.Customer) { c.Province = "ROM" }, checkout.FieldProvince, checkout.ReasonFormat},
		{"business without code or PEC", func(c *checkout.Customer) { c.RecipientCode = "" }, checkout.FieldRecipientCode, checkout.ReasonMissing},
		{"recipient code of 6 characters", func(c *checkout.Customer) { c.RecipientCode = "ABC123" }, checkout.FieldRecipientCode, checkout.ReasonFormat},
		{"PEC without domain", func(c *checkout.Customer) { c.RecipientCode, c.PEC = "", "studio@" }, checkout.FieldPEC, checkout.ReasonFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := company()
			tt.edit(&c)
			err := c.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var ce *checkout.CustomerError
			if !errors.As(err, &ce) || ce.Field != tt.field || ce.Reason != tt.reason {
				t.Fatalf("Validate() = %v, want field %s reason %s", err, tt.field, tt.reason)
			}
			if !errors.Is(err, checkout.ErrInvalidCustomer) {
				t.Fatalf("%v does not wrap ErrInvalidCustomer", err)
			}
		})
	}
}

func TestCustomerValidateNormalisesWhatPeopleType(t *testing.T) {
	c := checkout.Customer{Company: "  Studio   Bianchi ", VATNumber: "it 123 456 789 03", TaxCode: " rssmra80a01h501u ",
		Address: " Corso Italia 10 ", CAP: " 00184 ", City: " Roma", Province: "rm", RecipientCode: "abc1234"}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	want := checkout.Customer{Company: "Studio Bianchi", VATNumber: "12345678903", TaxCode: "RSSMRA80A01H501U",
		Address: "Corso Italia 10", CAP: "00184", City: "Roma", Province: "RM", RecipientCode: "ABC1234"}
	if c != want {
		t.Fatalf("normalised\n got %+v\nwant %+v", c, want)
	}
}

func TestPrivateCustomerGetsTheReservedAreaCode(t *testing.T) {
	c := person()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.RecipientCode != checkout.PrivateRecipient {
		t.Fatalf("recipient code = %q, want %q", c.RecipientCode, checkout.PrivateRecipient)
	}
	if got := c.DisplayName(); got != "Mario Rossi" {
		t.Fatalf("DisplayName() = %q", got)
	}
}
