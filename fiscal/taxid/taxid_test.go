package taxid

import "testing"

func TestCheckCharacters(t *testing.T) {
	for s, want := range map[string]bool{"01234567897": true, "12345678903": true, "12345678901": false, "1234567890": false, "0123456789A": false} {
		if PartitaIVA(s) != want {
			t.Errorf("PartitaIVA(%s) != %v", s, want)
		}
	}
	for s, want := range map[string]bool{"RSSMRA80A01H501U": true, "RSSMRA80A01H501V": false, "rssmra80a01h501u": false, "12345678903": true} {
		if CodiceFiscale(s) != want {
			t.Errorf("CodiceFiscale(%s) != %v", s, want)
		}
	}
}
