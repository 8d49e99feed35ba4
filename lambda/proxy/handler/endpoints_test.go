package handler

import (
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/api"
)

// TestEveryEndpointHasCode: the plain endpoint list the configuration checks routes against and
// the handler's Go code name the same keys.
func TestEveryEndpointHasCode(t *testing.T) {
	code := (&Handler{}).implemented()
	for _, e := range api.Endpoints {
		if code[e.Key] == nil {
			t.Errorf("api.Endpoints lists %s, but the handler has no code for it", e.Key)
		}
		delete(code, e.Key)
	}
	for key := range code {
		t.Errorf("the handler has code for %s, which api.Endpoints does not list", key)
	}
}
