package portal

import (
	"errors"
	"fmt"
	"net/http"
)

func (s *server) apiDevices(w http.ResponseWriter, r *http.Request, till TillIdentity) {
	var req struct {
		Devices []Device `json:"devices"`
	}
	if !decodeJSON(w, r, maxSmallBody*4, &req) {
		return
	}
	if len(req.Devices) > maxDevices {
		apiError(w, http.StatusBadRequest, "too_many_devices", fmt.Sprintf("at most %d devices per request", maxDevices))
		return
	}
	out, err := s.store.RegisterDevices(r.Context(), till, req.Devices)
	var verr *ValidationError
	switch {
	case errors.As(err, &verr):
		apiError(w, http.StatusBadRequest, "invalid_device", err.Error())
	case err != nil:
		s.internal(w, r, err)
	default:
		writeJSON(w, http.StatusOK, map[string]any{"devices": out})
	}
}
