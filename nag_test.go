package main

import (
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

// TestCdkNag runs cdk-nag's AwsSolutions rules on every stage. A finding is either fixed in
// the stacks or suppressed there, on the narrowest resource, with a reason (see README).
func TestCdkNag(t *testing.T) {
	for _, name := range []string{"dev", "prod"} {
		t.Run(name, func(t *testing.T) {
			s := stage(t, name)
			var findings []string
			for _, st := range []awscdk.Stack{s.stacks.Auth.Stack, s.stacks.Api.Stack} {
				noPanic(t, func() {
					a := assertions.Annotations_FromStack(st)
					match := assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-.*"))
					for _, m := range *a.FindError(jsii.String("*"), match) {
						findings = append(findings, fmt.Sprintf("error %s: %v", *m.Id, m.Entry.Data))
					}
					for _, m := range *a.FindWarning(jsii.String("*"), match) {
						findings = append(findings, fmt.Sprintf("warning %s: %v", *m.Id, m.Entry.Data))
					}
				})
			}
			sort.Strings(findings)
			if len(findings) > 0 {
				t.Errorf("%d unsuppressed cdk-nag findings:\n%s", len(findings), strings.Join(findings, "\n"))
			}
		})
	}
}

// Every suppression in the templates is in the README's table, reason and all, so reviewers
// read what the code does.
func TestNagSuppressionsAreDocumented(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, line := range strings.Split(string(readme), "\n") {
		if strings.HasPrefix(line, "| AwsSolutions-") {
			rows = append(rows, line)
		}
	}
	seen := 0
	for _, name := range []string{"dev", "prod"} {
		s := stage(t, name)
		for _, tpl := range []map[string]any{s.authJSON, s.apiJSON} {
			for id, r := range tpl["Resources"].(map[string]any) {
				meta, _ := r.(map[string]any)["Metadata"].(map[string]any)
				nag, _ := meta["cdk_nag"].(map[string]any)
				rules, _ := nag["rules_to_suppress"].([]any)
				for _, rule := range rules {
					rule := rule.(map[string]any)
					seen++
					documented := slices.ContainsFunc(rows, func(row string) bool {
						return strings.Contains(row, rule["id"].(string)) && strings.Contains(row, rule["reason"].(string))
					})
					if !documented {
						t.Errorf("%s %s: suppression of %s is not in the README's table with its reason %q", name, id, rule["id"], rule["reason"])
					}
				}
			}
		}
	}
	if seen == 0 {
		t.Fatal("found no suppressions in the templates")
	}
}
