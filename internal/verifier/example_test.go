package verifier_test

import (
	"context"
	"fmt"
	"log"
	"net/http"

	"github.com/cognito-apigw/cognito-apigw/internal/verifier"
)

func Example() {
	v, err := verifier.New(context.Background(), verifier.Config{
		Issuer:    "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_EXAMPLE",
		ClientIDs: []string{"exampleclientid"},
	})
	if err != nil {
		log.Fatal(err) // the JWKS could not be loaded: fail at start, not per request
	}
	defer v.Close()

	http.HandleFunc("/me", func(w http.ResponseWriter, r *http.Request) {
		token, ok := verifier.TokenFromAuthorizationHeader(r.Header.Get("Authorization"))
		if !ok {
			http.Error(w, "Unauthorized", http.StatusUnauthorized)
			return
		}
		claims, err := v.Verify(r.Context(), token, verifier.TokenUseID)
		if err != nil {
			log.Print(err) // safe to log: errors never quote the token
			http.Error(w, "Unauthorized", http.StatusUnauthorized)
			return
		}
		fmt.Fprintln(w, claims.Username)
	})
}
