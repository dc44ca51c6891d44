package portal

import (
	"errors"
	"net/http"
)

// coverflexPath is where the seed's product note puts the page: Impostazioni account →
// Sistemi di pagamento → Coverflex.
const coverflexPath = "/impostazioni/sistemi-di-pagamento/coverflex"

// coverflexView is one sales point on the Coverflex page with the popup to reopen, and what the
// owner typed, when a save was refused.
type coverflexView struct {
	SalesPoint
	Tills   []Till
	Devices []Device // Coverflex models only: the others cannot be configured here
	Failed  *failedSave
}

type failedSave struct {
	Popup      string // "sistema" or "dispositivi"
	DeviceID   string
	Message    string
	MerchantID string
	TerminalID string
	Tills      []string
}

// MerchantValue is the Merchant ID to show in the step 3 field.
func (v coverflexView) MerchantValue() string {
	if v.Failed != nil && v.Failed.Popup == "sistema" {
		return v.Failed.MerchantID
	}
	return v.CoverflexMerchantID
}

func (v coverflexView) failedFor(d Device) bool {
	return v.Failed != nil && v.Failed.Popup == "dispositivi" && v.Failed.DeviceID == d.ID
}

// TerminalValue is the Terminal ID to show for a device in step 4.
func (v coverflexView) TerminalValue(d Device) string {
	if v.failedFor(d) {
		return v.Failed.TerminalID
	}
	return d.TerminalID
}

// TillEnabled says whether the "Abilitato" box of a till is ticked for a device.
func (v coverflexView) TillEnabled(d Device, tillID string) bool {
	list := d.EnabledTills
	if v.failedFor(d) {
		list = v.Failed.Tills
	}
	for _, id := range list {
		if id == tillID {
			return true
		}
	}
	return false
}

// LinkProblem is what step 4 says of a device whose link the tills would refuse ("" when the
// link is good): such a device is not served until it is corrected.
func (v coverflexView) LinkProblem(d Device) string { return linkProblem(d.Link) }

// Selected says whether a device is the one selected in the step 4 popup.
func (v coverflexView) Selected(d Device) bool { return v.failedFor(d) || len(v.Devices) == 1 }

// ErrorFor returns the refusal message for a popup ("sistema", "dispositivi") of this view.
func (v coverflexView) ErrorFor(popup string) string {
	if v.Failed != nil && v.Failed.Popup == popup {
		return v.Failed.Message
	}
	return ""
}

func (s *server) coverflexPage(w http.ResponseWriter, r *http.Request, wc *web) {
	s.renderCoverflex(w, r, wc, http.StatusOK, "", nil)
}

// renderCoverflex draws the page; failed (for the sales point failedSP) reopens its popup.
func (s *server) renderCoverflex(w http.ResponseWriter, r *http.Request, wc *web, status int, failedSP string, failed *failedSave) {
	sps, err := s.store.SalesPoints(r.Context(), wc.Account.ID)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	views := make([]coverflexView, 0, len(sps))
	for _, sp := range sps {
		v := coverflexView{SalesPoint: sp}
		if v.Tills, err = s.store.Tills(r.Context(), sp.ID); err != nil {
			s.internal(w, r, err)
			return
		}
		if v.Devices, err = s.store.Devices(r.Context(), sp.ID, true); err != nil {
			s.internal(w, r, err)
			return
		}
		if sp.ID == failedSP {
			v.Failed = failed
		}
		views = append(views, v)
	}
	d := wc.data("Coverflex", r, map[string]any{"SalesPoints": views, "Path": coverflexPath})
	if failed != nil {
		d.Error = failed.Message
	}
	s.render(w, status, "coverflex", d)
}

func (s *server) savedCoverflex(w http.ResponseWriter, r *http.Request, step string) {
	http.Redirect(w, r, coverflexPath+"?ok="+step, http.StatusSeeOther)
}

// coverflexEnable is step 1: "Abilita Coverflex" SI/NO for the whole account.
func (s *server) coverflexEnable(w http.ResponseWriter, r *http.Request, wc *web) {
	var on bool
	switch r.PostForm.Get("abilita") {
	case "si":
		on = true
	case "no":
	default:
		s.errorPage(w, http.StatusBadRequest, "Scegli SI oppure NO.")
		return
	}
	if err := s.store.SetCoverflexEnabled(r.Context(), wc.Account.ID, on); err != nil {
		s.internal(w, r, err)
		return
	}
	s.savedCoverflex(w, r, "passaggio1")
}

// coverflexVisible is step 2: the "Visibile" flag of one sales point.
func (s *server) coverflexVisible(w http.ResponseWriter, r *http.Request, wc *web) {
	err := s.store.SetVisible(r.Context(), wc.Account.ID, r.PathValue("sp"), r.PostForm.Get("visibile") == "si")
	if !s.formError(w, r, err) {
		s.savedCoverflex(w, r, "passaggio2")
	}
}

// coverflexMerchant is step 3, the gear popup "Sistema di pagamento".
func (s *server) coverflexMerchant(w http.ResponseWriter, r *http.Request, wc *web) {
	sp, mid := r.PathValue("sp"), r.PostForm.Get("merchant_id")
	err := s.store.SetMerchantID(r.Context(), wc.Account.ID, sp, mid)
	var verr *ValidationError
	if errors.As(err, &verr) {
		s.renderCoverflex(w, r, wc, http.StatusBadRequest, sp, &failedSave{Popup: "sistema", Message: verr.Message, MerchantID: mid})
		return
	}
	if !s.formError(w, r, err) {
		s.savedCoverflex(w, r, "passaggio3")
	}
}

// coverflexDevice is step 4, the till popup "Dispositivi di pagamento": Terminal ID
// ("Configurazioni") and enabled tills ("Dispositivi di cassa") of one terminal.
func (s *server) coverflexDevice(w http.ResponseWriter, r *http.Request, wc *web) {
	sp, dev := r.PathValue("sp"), r.PathValue("dev")
	tid, tills := r.PostForm.Get("terminal_id"), r.PostForm["abilitato"]
	err := s.store.ConfigureDevice(r.Context(), wc.Account.ID, sp, dev, tid, tills)
	var verr *ValidationError
	if errors.As(err, &verr) {
		s.renderCoverflex(w, r, wc, http.StatusBadRequest, sp, &failedSave{Popup: "dispositivi", DeviceID: dev,
			Message: verr.Message, TerminalID: tid, Tills: tills})
		return
	}
	if !s.formError(w, r, err) {
		s.savedCoverflex(w, r, "passaggio4")
	}
}
