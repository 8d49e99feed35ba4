package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/jsii-runtime-go"

	"github.com/cognito-apigw/cognito-apigw/branding"
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
