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
	// Not decodeJSON: text rules are checked per sale by IngestSales, whose message names the sale.
	body, ok := readBody(w, r, maxSalesBody)
	if !ok || !unmarshalBody(w, body, &req) {
		return
	}
	if len(req.Sales) > MaxBatch {
		apiError(w, http.StatusRequestEntityTooLarge, "batch_too_large",
			fmt.Sprintf("%d sales in one batch; send at most %d per request", len(req.Sales), MaxBatch))
		return
	}
	results, err := s.store.IngestSales(r.Context(), till, req.Sales)
	var verr *ValidationError
	var conflict *SaleConflictError
	switch {
	case errors.As(err, &verr):
		apiError(w, http.StatusBadRequest, "invalid_sale", err.Error()+"; nothing of this batch was stored")
	case errors.As(err, &conflict):
		// Not a retry (that would be the same content): two different sales with one id, or a
		// till sending another's id. Someone must look, so it goes to the log.
		s.log.Warn("sale conflict: same id, different content", "sale", conflict.ID, "till", till.TillID,
			"account", till.AccountID, "client", s.clientAddr(r))
		apiError(w, http.StatusConflict, "sale_conflict", err.Error()+"; nothing of this batch was stored")
	case err != nil:
		s.internal(w, r, err)
	default:
		if results == nil {
			results = []SaleResult{}
		}
		writeJSON(w, http.StatusOK, map[string]any{"results": results})
	}
}
