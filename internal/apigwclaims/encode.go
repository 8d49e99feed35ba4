package apigwclaims

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/cognito-apigw/cognito-apigw/internal/jwtvalue"
)

// javaDateUTC is Java's Date.toString() layout in UTC, as API Gateway writes exp and iat. It is
// javaDate with a zero-padded day, which time.Parse of javaDate reads back.
const javaDateUTC = "Mon Jan 02 15:04:05 UTC 2006"

// Encode renders a verified token's claims (decoded with numbers as json.Number) as API
// Gateway's Cognito user pools authorizer puts them in requestContext.authorizer.claims of a
// REST API proxy event: every value a string.
//
//   - exp and iat as Java Date.toString() in UTC ("Tue Apr 04 18:39:39 UTC 2023"), other
//     numbers such as auth_time as written in the token ("1680629979"), booleans as
//     "true"/"false": the claims dump in the AWS re:Post question "AWS Cognito Group"
//     (repost.aws/questions/QUFJRBaEJRSmmqarNrvCWoQA) and the sample in
//     aws/serverless-java-container's CognitoAuthorizerClaims.java.
//   - cognito:groups and other string lists joined with commas ("a,b"): the article at
//     openillumi.com/en/en-api-gateway-cognito-jwt-claim-conversion-zero-trust shows
//     ["group-a","group-b"] arriving as "group-a,group-b", aws/chalice#783 splits the claim
//     on ",", and the re:Post dump shows a single group as a plain string.
//   - Anything else (objects such as identities, mixed lists, null) as compact JSON: no
//     source shows API Gateway's rendering of these, so it is a best guess.
func Encode(raw map[string]any) map[string]string {
	out := make(map[string]string, len(raw))
	for name, v := range raw {
		switch v := v.(type) {
		case string:
			out[name] = v
		case bool:
			out[name] = strconv.FormatBool(v)
		case json.Number:
			out[name] = v.String()
			if name == "exp" || name == "iat" {
				if t, ok := jwtvalue.NumericDate(v); ok {
					out[name] = t.UTC().Format(javaDateUTC)
				}
			}
		default:
			if list, ok := jwtvalue.StringList(v); ok {
				out[name] = strings.Join(list, ",")
			} else if b, err := json.Marshal(v); err == nil {
				out[name] = string(b)
			}
		}
	}
	return out
}
