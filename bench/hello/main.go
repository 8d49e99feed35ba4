// Command hello is the floor of the binary-size benchmark: the aws-lambda-go hello world.
// bench/run builds it with the very flags the project's bundler uses for its own `bootstrap`
// (stacks.GoBinary: -tags lambda.norpc -trimpath -ldflags "-s -w", linux/arm64, CGO off).
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"
)

func handle(context.Context) (string, error) { return "Hello, world!", nil }

func main() { lambda.Start(handle) }
