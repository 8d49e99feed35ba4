package stacks_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognito-apigw/cognito-apigw/internal/cdkjson"
	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
	"github.com/cognito-apigw/cognito-apigw/internal/localapi"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
	"github.com/cognito-apigw/cognito-apigw/internal/verifier"
	"github.com/cognito-apigw/cognito-apigw/lambda/proxy/handler"
)

// templateMethods reads the API's methods from a synthesized template: resource path ->
// HTTP method -> authorization type (NONE, COGNITO_USER_POOLS or CUSTOM).
func templateMethods(t *testing.T, tpl map[string]any) map[string]map[string]string {
	t.Helper()
	resources := resourcesOf(tpl, "AWS::ApiGateway::Resource")
	var pathOf func(ref any) string
	pathOf = func(ref any) string {
		if m, ok := ref.(map[string]any); ok {
			if id, ok := m["Ref"].(string); ok {
				r, ok := resources[id]
				if !ok {
					t.Fatalf("method on unknown resource %s", id)
				}
				return strings.TrimSuffix(pathOf(props(r)["ParentId"]), "/") + "/" + props(r)["PathPart"].(string)
			}
			if _, ok := m["Fn::GetAtt"]; ok { // the REST API's RootResourceId
				return "/"
			}
		}
		t.Fatalf("unexpected resource reference %v", ref)
		return ""
	}
	out := map[string]map[string]string{}
	for _, m := range resourcesOf(tpl, "AWS::ApiGateway::Method") {
		p := props(m)
		path := pathOf(p["ResourceId"])
		if out[path] == nil {
			out[path] = map[string]string{}
		}
		out[path][p["HttpMethod"].(string)] = p["AuthorizationType"].(string)
	}
	return out
}

// TestLocalRoutingFollowsTemplate: for every resource of the synthesized dev API and every
// method, the local gateway answers a request without a token the way the deployed API does:
// 403 Missing Authentication Token where no method exists, 401 where the method has an
// authorizer, and the handler's reply where it has none.
func TestLocalRoutingFollowsTemplate(t *testing.T) {
	methods := templateMethods(t, stage(t, "dev").APIJSON)
	cfg, err := cdkjson.Load(filepath.Join(project.Dir, "cdk.json"), "dev")
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.Stage
	is := testkit.New(t, "us-east-1_Routing")
	v, err := verifier.New(context.Background(), verifier.Config{Issuer: is.Issuer(), ClientIDs: []string{testkit.ClientID}, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(v.Close)
	proxy := fnenv.Proxy{Routes: s.Routes, Clients: fnenv.Clients{Web: []string{testkit.ClientID}}, AllowedOrigins: s.CORS.AllowOrigins}
	h, err := handler.New(proxy, &handler.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	gw, err := localapi.New(localapi.Options{Routes: s.Routes, Verifier: v, Handler: h.Handle, CORS: s.CORS, Stage: "dev"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := methods["/"]["ANY"]; !ok {
		t.Fatalf("the template has no ANY / (CDK's proxy resource adds it): %v", methods["/"])
	}

	concrete := strings.NewReplacer("{proxy+}", "some/deeper/path")
	checked := 0
	for path, byMethod := range methods {
		url := concrete.Replace(path)
		if strings.Contains(url, "{") {
			url = strings.NewReplacer("{", "x", "}", "").Replace(url)
		}
		for _, method := range []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"} {
			auth, ok := byMethod[method]
			if !ok {
				auth, ok = byMethod["ANY"]
			}
			want := "403 Missing Authentication Token"
			switch {
			case !ok:
			case auth == "NONE":
				want = "handler"
			default:
				want = "401 Unauthorized"
			}
			req := httptest.NewRequest(method, url, nil)
			req.Header.Set("Origin", s.CORS.AllowOrigins[0])
			w := httptest.NewRecorder()
			gw.ServeHTTP(w, req)
			got := "handler"
			switch body := w.Body.String(); {
			case w.Code == 403 && strings.Contains(body, "Missing Authentication Token"):
				got = "403 Missing Authentication Token"
			case w.Code == 401 && strings.Contains(body, `{"message":"Unauthorized"}`):
				got = "401 Unauthorized"
			case method == "HEAD" && w.Code == 401:
				got = "401 Unauthorized"
			}
			if got != want {
				t.Errorf("%s %s (resource %s, template %v): local %d %q, want %s", method, url, path, byMethod, w.Code, w.Body.String(), want)
			}
			checked++
		}
		// Preflight: CDK adds OPTIONS without authorization on every resource when CORS is on.
		if byMethod["OPTIONS"] != "NONE" {
			t.Errorf("resource %s: OPTIONS %q, want NONE", path, byMethod["OPTIONS"])
		}
	}
	if len(methods) < len(cfgPaths(s.Routes))+2 { // the table's resources, / and /{proxy+}
		t.Errorf("the template has %d resources with methods, want the table's and / and /{proxy+}", len(methods))
	}
}

func cfgPaths(table routes.Table) map[string]bool {
	paths := map[string]bool{}
	for _, r := range table {
		paths[r.Path] = true
	}
	return paths
}
