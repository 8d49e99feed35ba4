package testkit

import (
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

// A token Mint signs verifies with the key the Issuer's JWKS publishes, and carries the claims.
func TestMintVerifiesWithTheJWKS(t *testing.T) {
	is := New(t, "us-east-1_Kit")
	resp, err := http.Get(is.Issuer() + "/.well-known/jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var set struct{ Keys []struct{ Kid, N, E string } }
	if err := json.NewDecoder(resp.Body).Decode(&set); err != nil || len(set.Keys) != 1 || set.Keys[0].Kid != Kid {
		t.Fatalf("JWKS %+v, %v; want the pool key under %s", set, err, Kid)
	}
	n, _ := base64.RawURLEncoding.DecodeString(set.Keys[0].N)
	e, _ := base64.RawURLEncoding.DecodeString(set.Keys[0].E)
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}

	claims := jwt.MapClaims{}
	tok, err := jwt.ParseWithClaims(is.Mint(t, is.IDClaims("email", Absent)), claims, func(*jwt.Token) (any, error) { return pub, nil },
		jwt.WithValidMethods([]string{"RS256"}), jwt.WithIssuer(is.Issuer()), jwt.WithAudience(ClientID))
	if err != nil || tok.Header["kid"] != Kid {
		t.Fatalf("Mint's token: %v, header %v", err, tok.Header)
	}
	if _, ok := claims["email"]; ok || claims["sub"] != Subject || claims["token_use"] != "id" {
		t.Errorf("claims %v: want alice's ID token without email", claims)
	}
	if _, err := jwt.Parse(is.Forge(t, Kid, is.IDClaims()), func(*jwt.Token) (any, error) { return pub, nil }); err == nil {
		t.Error("Forge's token verifies with the pool key")
	}
	if is.Requests() != 1 {
		t.Errorf("%d requests, want 1", is.Requests())
	}
}

func TestEditCopies(t *testing.T) {
	in := map[string]any{"a": 1, "b": 2}
	out := Edit(in, "a", Absent, "c", []string{"x"})
	if !reflect.DeepEqual(in, map[string]any{"a": 1, "b": 2}) || !reflect.DeepEqual(out, map[string]any{"b": 2, "c": []string{"x"}}) {
		t.Errorf("Edit: in %v, out %v", in, out)
	}
}

func TestEnvCopies(t *testing.T) {
	in := map[string]string{"A": "1", "B": "2"}
	out := Env(in, "A", "", "C", "3")
	if !reflect.DeepEqual(in, map[string]string{"A": "1", "B": "2"}) || !reflect.DeepEqual(out, map[string]string{"A": "", "B": "2", "C": "3"}) {
		t.Errorf("Env: in %v, out %v", in, out)
	}
	if out := Env(nil, "A", "1"); !reflect.DeepEqual(out, map[string]string{"A": "1"}) {
		t.Errorf("Env(nil): %v", out)
	}
}

func TestTamperKeepsHeaderAndSignature(t *testing.T) {
	is := New(t, "us-east-1_Kit")
	tok := is.Mint(t, is.IDClaims())
	got := Tamper(t, tok, "alice@example.com", "mallory@example.com")
	p, q := strings.Split(tok, "."), strings.Split(got, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(q[1])
	if p[0] != q[0] || p[2] != q[2] || !strings.Contains(string(payload), "mallory@example.com") {
		t.Errorf("Tamper(%s) = %s", tok, got)
	}
}

// Every sample proxy event decodes into the type the Lambda receives.
func TestProxyEvents(t *testing.T) {
	for _, f := range ProxyEventFiles(t) {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		if ev := ProxyEvent(t, name); ev.HTTPMethod == "" || ev.Resource == "" {
			t.Errorf("%s: no method or resource", name)
		}
	}
}

// DirFiles finds the files of nested folders, by slash-separated relative path.
func TestDirFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "assets", "dark"), 0o755); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"style.json": "{}", "assets/dark/logo.svg": "<svg/>"}
	for name, content := range want {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := DirFiles(t, dir); !reflect.DeepEqual(got, want) {
		t.Errorf("DirFiles = %v, want %v", got, want)
	}
}
