package portal

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

func (s *server) apiSales(w http.ResponseWriter, r *http.Request, till TillIdentity) {
	var req struct {
		Sales []json.RawMessage `json:"sales"`
	}
	if !decodeJSON(w, r, maxSalesBody, &req) {
		return
	}
	if len(req.Sales) > MaxBatch {
		apiError(w, http.StatusRequestEntityTooLarge, "batch_too_large",
			fmt.Sprintf("%d sales in one batch; send at most %d per request", len(req.Sales), MaxBatch))
		return
	}
	results, err := s.store.IngestSales(r.Context(), till, req.Sales)
	var verr *ValidationError
	switch {
	case errors.As(err, &verr):
		apiError(w, http.StatusBadRequest, "invalid_sale", err.Error()+"; nothing of this batch was stored")
	case err != nil:
		s.internal(w, r, err)
	default:
		if results == nil {
			results = []SaleResult{}
		}
		writeJSON(w, http.StatusOK, map[string]any{"results": results})
	}
}
