package stacks_test

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"
)

// replacementProperties are the user pool settings Cognito cannot change in place: a change
// makes CloudFormation create a new, empty pool (sources: CloudFormation's AWS::Cognito::UserPool
// reference and Cognito's "Updating user pool configuration", which lists sign-in options, case
// sensitivity, required and custom attributes and the pool name as fixed at creation).
var replacementProperties = []string{"UsernameAttributes", "AliasAttributes", "UsernameConfiguration", "Schema", "UserPoolName"}

const pinsFile = "testdata/user-pool-pins.json"

// TestUserPoolIsNotReplaced pins what would replace the user pool, with its stack name and
// logical id, so that such a change fails CI before it deletes every user.
func TestUserPoolIsNotReplaced(t *testing.T) {
	got := map[string]map[string]any{}
	for _, name := range []string{"dev", "prod"} {
		pools := resourcesOf(stage(t, name).AuthJSON, "AWS::Cognito::UserPool")
		for id, pool := range pools {
			// A new stack name or logical id is a new pool, just as a replacement is.
			pin := map[string]any{"LogicalId": id, "StackName": *stage(t, name).Built.Auth.StackName()}
			for _, p := range replacementProperties {
				pin[p] = props(pool)[p]
			}
			got[name] = pin
		}
		if len(pools) != 1 {
			t.Fatalf("stage %s has %d user pools, want 1", name, len(pools))
		}
	}
	if *update {
		b, _ := json.MarshalIndent(got, "", "  ")
		if err := os.WriteFile(pinsFile, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(pinsFile)
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]map[string]any
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	for name, pin := range want {
		for key, w := range pin {
			if g := got[name][key]; !reflect.DeepEqual(g, w) {
				gj, _ := json.Marshal(g)
				wj, _ := json.Marshal(w)
				t.Errorf(`stage %s: the user pool's %s changed from %s to %s.
CloudFormation cannot change it in place: it would create a new, empty user pool and every
user of the old one would be lost to the app (deleted with the stack on a non-production stage,
orphaned on a production one). To do it on purpose: create the new pool beside the old one (a new
stage or construct id), migrate users (export them, or a user migration Lambda trigger), switch
clients over, then run "go test ./stacks -run TestUserPoolIsNotReplaced -update" and commit stacks/%s.`,
					name, key, wj, gj, pinsFile)
			}
		}
	}
}
