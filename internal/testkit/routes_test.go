package testkit

import (
	"reflect"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/cdkjson"
)

// SampleRoutes stays the route table the committed cdk.json gives the dev stage, less the
// machine client on GET /items.
func TestSampleRoutesAreCdkJSONs(t *testing.T) {
	cfg, err := cdkjson.Load("../../cdk.json", "dev")
	if err != nil {
		t.Fatal(err)
	}
	want := cfg.Routes
	for i := range want {
		want[i].Clients = nil
	}
	if got := SampleRoutes(); !reflect.DeepEqual(got, want) {
		t.Errorf("SampleRoutes() = %+v\ncdk.json's dev routes = %+v", got, want)
	}
}
