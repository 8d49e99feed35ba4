// Command floorapp is the floor of the synth benchmark: the smallest Go CDK app, one stack
// holding one resource (an SNS topic), no assets, no bundling. bench/run times
// `cdk synth --app "go run ./bench/floorapp"` against the project's own `cdk synth`, in the same
// directory (so the same cdk.json feature flags apply) and the same run.
package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"
)

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("floor"), nil)
	awssns.NewTopic(stack, jsii.String("Topic"), nil)
	app.Synth(nil)
}
