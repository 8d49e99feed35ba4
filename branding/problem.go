package branding

import "github.com/cognito-apigw/cognito-apigw/internal/problem"

// Error is what Load returns when a branding file cannot be used: every problem found, in a
// stable order (object keys sorted, arrays in order). Use errors.As to get the problems.
type Error struct {
	Problems problem.List
	// Warnings are found as well, as in Style.Warnings; Error() does not list them.
	Warnings problem.List
}

// Error lists the problems one per line.
func (e *Error) Error() string { return e.Problems.Error() }
