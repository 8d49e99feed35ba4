package stacks

import (
	"slices"
	"strings"

	"github.com/aws/jsii-runtime-go"
)

// groupID is a group's construct id. CDK ids may not hold "/"; the logical id CDK derives from
// it carries a hash of the whole id, so it stays unique and stable per group name.
func groupID(name string) string { return "Group " + strings.ReplaceAll(name, "/", "|") }

// nonEmpty leaves an optional CloudFormation property out instead of sending "".
func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return jsii.String(s)
}

func contains(list []string, s string) bool { return slices.Contains(list, s) }
