// Package cdktest holds what the CDK app's tests share: the template-assertion helpers (CDK's
// assertions report a failed match by panicking, a jsii error; these turn that into a test
// failure), the app built from cdk.json with each stage synthesized once per test binary
// (App), and the work that runs beside the syntheses: the real `cdk synth` (CdkSynth) and
// other subprocesses (Job), started before the tests.
package cdktest

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

// NoPanic runs f and turns its panic, if any, into t.Fatalf.
func NoPanic(t testing.TB, f func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("%v", r)
		}
	}()
	f()
}

// HasProps asserts a resource of type typ whose Properties match props.
func HasProps(t testing.TB, tpl assertions.Template, typ string, props map[string]any) {
	t.Helper()
	NoPanic(t, func() { tpl.HasResourceProperties(jsii.String(typ), props) })
}

// HasResource asserts a resource of type typ matching resource (Properties, DeletionPolicy, ...).
func HasResource(t testing.TB, tpl assertions.Template, typ string, resource map[string]any) {
	t.Helper()
	NoPanic(t, func() { tpl.HasResource(jsii.String(typ), resource) })
}

// Count asserts that the template has n resources of type typ.
func Count(t testing.TB, tpl assertions.Template, typ string, n int) {
	t.Helper()
	NoPanic(t, func() { tpl.ResourceCountIs(jsii.String(typ), jsii.Number(n)) })
}

// ToMap is the template as plain JSON values.
func ToMap(tpl assertions.Template) map[string]any {
	b, _ := json.Marshal(tpl.ToJSON())
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}

// Resources are the template's resources of one type, by logical id.
func Resources(tpl map[string]any, typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for id, r := range tpl["Resources"].(map[string]any) {
		res := r.(map[string]any)
		if res["Type"] == typ {
			out[id] = res
		}
	}
	return out
}

// Props are a resource's Properties.
func Props(r map[string]any) map[string]any {
	p, _ := r["Properties"].(map[string]any)
	return p
}
