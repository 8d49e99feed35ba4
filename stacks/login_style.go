package stacks

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/jsii-runtime-go"

	"github.com/cognito-apigw/cognito-apigw/branding"
	"github.com/cognito-apigw/cognito-apigw/internal/config"
)

// BrandingStyle is a managed-login style loaded from the branding folder.
type BrandingStyle = branding.Style

// loginStyleProps binds a style to the client; a nil style is Cognito's default style.
func loginStyleProps(style *BrandingStyle, poolID, clientID *string) *awscognito.CfnManagedLoginBrandingProps {
	props := &awscognito.CfnManagedLoginBrandingProps{UserPoolId: poolID, ClientId: clientID}
	if style == nil || style.UseCognitoProvidedValues {
		props.UseCognitoProvidedValues = jsii.Bool(true)
		return props
	}
	props.Settings = style.Settings
	if len(style.Assets) > 0 {
		assets := make([]*awscognito.CfnManagedLoginBranding_AssetTypeProperty, len(style.Assets))
		for i, a := range style.Assets {
			assets[i] = &awscognito.CfnManagedLoginBranding_AssetTypeProperty{
				Category:   jsii.String(a.Category),
				ColorMode:  jsii.String(a.ColorMode),
				Extension:  jsii.String(a.Extension),
				Bytes:      jsii.String(a.Bytes),
				ResourceId: nonEmpty(a.ResourceId),
			}
		}
		props.Assets = assets
	}
	return props
}

// styleForStage is the style as the stage deploys it (see branding.Style.ForProviders). On a
// stage with providers, an icon whose ResourceId names none of them is most likely a typo: a
// warning says so.
func styleForStage(stack awscdk.Stack, style *BrandingStyle, stage config.Stage, stageName string) *BrandingStyle {
	if style == nil {
		return nil
	}
	names := stage.ProviderNames()
	kept, left := style.ForProviders(names)
	if len(names) == 0 {
		return kept // a stage without providers shows no provider buttons
	}
	for _, i := range left {
		awscdk.Annotations_Of(stack).AddWarningV2(jsii.String("cognito-apigw:branding"), jsii.String(fmt.Sprintf(
			"branding Assets[%d]: the IDP_BUTTON_ICON for ResourceId %q is left out of stage %s's login style: ResourceId must be the name of one of its identityProviders (%s; case-sensitive)",
			i, style.Assets[i].ResourceId, stageName, strings.Join(names, ", "))), nil)
	}
	return kept
}
