// Command app is the CDK app: it synthesizes the auth and API stacks of the stage that the CDK
// context selects (cdk.json, -c stage=...), or prints every problem with its settings and
// exits 1.
package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/cognito-apigw/cognito-apigw/stacks"
)

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	if _, err := stacks.NewStage(app, "."); err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintln(os.Stderr, "error:", line)
		}
		jsii.Close() // os.Exit skips the deferred call
		os.Exit(1)
	}
	app.Synth(nil)
}
