package config

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/cognito-apigw/cognito-apigw/internal/api"
	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
	"github.com/cognito-apigw/cognito-apigw/internal/loopback"
	"github.com/cognito-apigw/cognito-apigw/internal/origin"
	"github.com/cognito-apigw/cognito-apigw/internal/problem"
	"github.com/cognito-apigw/cognito-apigw/internal/routes"
)

var (
	appNamePattern   = regexp.MustCompile(`^[a-z](?:[a-z0-9-]{0,22}[a-z0-9])?$`)
	stageNamePattern = regexp.MustCompile(`^[a-z][a-z0-9]{0,15}$`)
	// Cognito's DomainDescriptionType.Domain for a prefix domain.
	domainPrefixPattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`)
	// Cognito's ResourceServerScopeType.ScopeName: the scope character set without "/".
	scopeNamePattern = regexp.MustCompile(`^[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]+$`)
	// Cognito's GroupType.GroupName.
	groupNamePattern = regexp.MustCompile(`^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$`)
	schemePattern    = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*$`)
	// A DNS name: letter-digit-hyphen labels joined by dots.
	domainLabelsPattern = regexp.MustCompile(`^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)+$`)

	// Words Cognito refuses in a prefix domain.
	reservedDomainWords = []string{"aws", "amazon", "cognito"}
	// Retention periods CloudWatch Logs accepts.
	logRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}
)

const (
	accountIDLength = 12 // the derived domain prefix ends in -<12-digit account id>
	maxURLs         = 100
	maxClientScopes = 50
	standardScopes  = 3 // openid, email, profile
	// Lambda allows 4 KB of environment variables in all; leave room for the others.
	maxRouteTableBytes = 3000
)

// DerivedDomainPrefixStem is the start of the default domain prefix; the stack appends
// "-<account id>" as a CloudFormation token, so the same checkout deploys in any account.
func (c Config) DerivedDomainPrefixStem() string { return c.AppName + "-" + c.StageName }

// Validate applies every rule and returns all problems, one line each. Each line names the
// setting, the bad value and what is allowed.
func (c Config) Validate() problem.List {
	v := validator{stage: KeyStages + "." + c.StageName, stageStem: c.DerivedDomainPrefixStem(), fromDefaults: c.fromDefaults}
	v.names(c)
	v.userPool(c.Stage)
	v.email(c.Stage)
	v.identityProviders(c.Stage)
	v.client(c.Stage)
	v.machineClients(c.Stage)
	v.tokenTrigger(c.Stage)
	v.signIn(c.Stage)
	v.api(c.Stage)
	v.operations(c.Stage)
	v.alarms(c.Stage)
	v.domains(c.Stage)
	v.ci(c)
	return v.problems
}

type validator struct {
	stage        string
	stageStem    string // the derived domain prefix without its account id
	fromDefaults map[string]bool
	problems     problem.List
}

func (v *validator) add(key string, value any, want string) {
	v.problems.Add(key, value, want)
}

// at names a stage setting where the user wrote it: in the stage, or in the shared defaults
// when the stage left it to them. The keys that -c can override are named both ways.
func (v *validator) at(key string) string {
	where := v.stage + "." + key
	if v.fromDefaults[key] {
		where = KeyDefaults + "." + key
	}
	switch key {
	case KeyDomainPrefix, KeyCallbackURLs, KeyLogoutURLs, KeyBrandingFile:
		return where + " (or -c " + key + ")"
	}
	return where
}

func (v *validator) names(c Config) {
	namesOK := true
	if !appNamePattern.MatchString(c.AppName) {
		v.add(KeyAppName, c.AppName, "want 1-24 lower-case letters, digits and hyphens, starting with a letter")
		namesOK = false
	}
	if !stageNamePattern.MatchString(c.StageName) {
		v.add(KeyStage, c.StageName, "want 1-16 lower-case letters and digits, starting with a letter")
		namesOK = false
	}
	switch {
	case c.DomainPrefix != "":
		v.domainPrefix(v.at(KeyDomainPrefix), c.DomainPrefix)
	case namesOK: // else the name problems above say it already
		stem := c.DerivedDomainPrefixStem()
		// The stand-in account id has the real one's 12 digits, so the length holds in every account.
		v.domainPrefix(fmt.Sprintf("default domain prefix %q (from %s and %s)", stem+"-<account id>", KeyAppName, KeyStage),
			stem+"-123456789012")
	}
}

func (v *validator) domainPrefix(where, prefix string) {
	switch {
	case len(prefix) > 63:
		v.add(where, prefix, fmt.Sprintf("want at most 63 characters, it has %d; shorten it or set %s", len(prefix), KeyDomainPrefix))
	case !domainPrefixPattern.MatchString(prefix):
		v.add(where, prefix, "want lower-case letters, digits and hyphens, not starting or ending with a hyphen")
	}
	for _, word := range reservedDomainWords {
		if strings.Contains(prefix, word) {
			v.add(where, prefix, fmt.Sprintf("want a prefix without %q: Cognito reserves aws, amazon and cognito", word))
		}
	}
}

func (v *validator) userPool(s Stage) {
	if !slices.Contains([]string{"off", "optional", "required"}, s.MFA) {
		v.add(v.at("mfa"), s.MFA, `want "off", "optional" or "required"`)
	}
	if s.MFASMS && s.MFA == "off" {
		v.add(v.at("mfaSms"), s.MFASMS, `want false while mfa is "off"`)
	}
	switch plan := s.EffectiveFeaturePlan(); plan {
	case "ESSENTIALS":
		if s.ThreatProtection {
			v.add(v.at("featurePlan"), plan, `want "PLUS" (or leave it out): threatProtection needs the PLUS feature plan`)
		}
	case "PLUS":
	case "LITE":
		v.add(v.at("featurePlan"), plan, `want "ESSENTIALS" or "PLUS": managed login version 2 is not available on LITE`)
	default:
		v.add(v.at("featurePlan"), plan, `want "ESSENTIALS" or "PLUS"`)
	}

	pp := s.PasswordPolicy
	if pp.MinLength < 8 || pp.MinLength > 99 {
		v.add(v.at("passwordPolicy.minLength"), pp.MinLength, "want 8 to 99 (Cognito allows 6; this project's floor is 8)")
	}
	ve := s.VerificationEmail
	v.emailSubject("verificationEmail.subject", ve.Subject)
	// Cognito's minimum of 6 characters needs no check of its own: {####} alone has 6.
	if len([]rune(ve.Body)) > 20000 || !strings.Contains(ve.Body, "{####}") {
		v.add(v.at("verificationEmail.body"), ve.Body, "want 6 to 20,000 characters holding the code placeholder {####}")
	}

	seen := map[string]bool{}
	for i, g := range s.Groups {
		where := fmt.Sprintf("%s[%d]", v.at("groups"), i)
		if msg := checkGroupName(g.Name); msg != "" {
			v.add(where+".name", g.Name, msg)
		} else if n := len([]rune(g.Name)); n < 1 || n > 128 || !groupNamePattern.MatchString(g.Name) {
			v.add(where+".name", g.Name, "want 1 to 128 letters, digits, punctuation or symbols, no spaces")
		} else if seen[g.Name] {
			v.add(where+".name", g.Name, "want each group once")
		}
		seen[g.Name] = true
		if len(g.Description) > 2048 {
			v.add(where+".description", g.Description, "want at most 2048 characters")
		}
	}

	rs := s.ResourceServer
	if n := len(rs.Identifier); n < 1 || n > 256 || !routes.ScopePattern.MatchString(rs.Identifier) {
		v.add(v.at("resourceServer.identifier"), rs.Identifier, `want 1 to 256 printable ASCII characters without spaces, " or \ (it prefixes every scope)`)
	}
	if len(rs.Scopes) == 0 {
		v.add(v.at("resourceServer.scopes"), rs.Scopes, "want at least one scope")
	}
	seenScope := map[string]bool{}
	for i, sc := range rs.Scopes {
		where := fmt.Sprintf("%s[%d]", v.at("resourceServer.scopes"), i)
		if n := len(sc.Name); n < 1 || n > 256 || !scopeNamePattern.MatchString(sc.Name) {
			v.add(where+".name", sc.Name, `want 1 to 256 printable ASCII characters without spaces, /, " or \`)
		} else if seenScope[sc.Name] {
			v.add(where+".name", sc.Name, "want each scope once")
		}
		seenScope[sc.Name] = true
		if n := len([]rune(sc.Description)); n < 1 || n > 256 {
			v.add(where+".description", sc.Description, "want 1 to 256 characters")
		}
	}
}

func (v *validator) client(s Stage) {
	v.urls(v.at(KeyCallbackURLs), s.CallbackURLs, "the authorization code is sent to one of them")
	v.urls(v.at(KeyLogoutURLs), s.LogoutURLs, "managed-login sign-out only redirects to a registered sign-out URL")

	if len(s.OAuthFlows) == 0 {
		v.add(v.at("oauthFlows"), s.OAuthFlows, `want ["code"] (and "implicit" only for a legacy client)`)
	}
	for i, f := range s.OAuthFlows {
		where := fmt.Sprintf("%s[%d]", v.at("oauthFlows"), i)
		switch {
		case f == "client_credentials":
			v.add(where, f, "want code or implicit: client_credentials must stand alone on a client with a secret, and this app client is public (no secret)")
		case f != "code" && f != "implicit":
			v.add(where, f, `want "code" or "implicit"`)
		case slices.Index(s.OAuthFlows, f) != i:
			v.add(where, f, "want each flow once")
		}
	}
	if n := standardScopes + len(s.ResourceServer.Scopes); n > maxClientScopes {
		v.add(v.at("resourceServer.scopes"), len(s.ResourceServer.Scopes), fmt.Sprintf("want at most %d custom scopes: an app client allows %d scopes and openid, email and profile take 3", maxClientScopes-standardScopes, maxClientScopes))
	}

	t := s.Tokens
	limit := func(key string, got, lo, hi int, what string) {
		if got < lo || got > hi {
			v.add(v.at("tokens."+key), got, "want "+what)
		}
	}
	limit("accessMinutes", t.AccessMinutes, 5, 24*60, "5 to 1440 minutes (5 minutes to 1 day)")
	limit("idMinutes", t.IDMinutes, 5, 24*60, "5 to 1440 minutes (5 minutes to 1 day)")
	limit("refreshMinutes", t.RefreshMinutes, 60, 10*365*24*60, "60 to 5256000 minutes (1 hour to 10 years)")
	limit("authSessionMinutes", t.AuthSessionMinutes, 3, 15, "3 to 15 minutes")
	if t.RefreshMinutes > 0 {
		if t.AccessMinutes > t.RefreshMinutes {
			v.add(v.at("tokens.accessMinutes"), t.AccessMinutes, fmt.Sprintf("want at most tokens.refreshMinutes (%d): an access token cannot outlive the refresh token", t.RefreshMinutes))
		}
		if t.IDMinutes > t.RefreshMinutes {
			v.add(v.at("tokens.idMinutes"), t.IDMinutes, fmt.Sprintf("want at most tokens.refreshMinutes (%d): an ID token cannot outlive the refresh token", t.RefreshMinutes))
		}
	}
}

// checkGroupName refuses what would make one group look like another in the claims API
// Gateway hands on; Cognito itself allows these characters.
func checkGroupName(name string) string {
	if strings.ContainsAny(name, ", []") {
		return "want a name without commas, spaces or square brackets: API Gateway flattens cognito:groups into one comma-separated string, so a group named x,admin would look like admin"
	}
	return ""
}

// urls checks callback or sign-out URLs the way Cognito does.
func (v *validator) urls(where string, urls []string, why string) {
	switch {
	case len(urls) == 0:
		v.problems = append(v.problems, problem.Problem{Where: where, Value: "an empty list", Want: fmt.Sprintf("want 1 to %d URLs: %s", maxURLs, why)})
	case len(urls) > maxURLs:
		v.add(where, urls, fmt.Sprintf("want 1 to %d URLs: %s", maxURLs, why))
	}
	for i, raw := range urls {
		if msg := checkRedirectURL(raw); msg != "" {
			v.add(fmt.Sprintf("%s[%d]", where, i), raw, msg)
		} else if slices.Index(urls, raw) != i {
			v.add(fmt.Sprintf("%s[%d]", where, i), raw, "want each URL once")
		}
	}
}

func checkRedirectURL(raw string) string {
	if len(raw) < 1 || len(raw) > 1024 {
		return "want 1 to 1024 characters"
	}
	want := "want an absolute URL such as https://app.example.com/auth/callback"
	if !strings.Contains(raw, "://") {
		want = `want an absolute URL with "://", such as https://app.example.com/auth/callback or myapp://callback`
		// localhost:3000/cb parses as the custom scheme "localhost"; nobody means that.
		if guess := withScheme(raw); guess != "" {
			return fmt.Sprintf("%s; did you mean %s?", want, guess)
		}
		return want
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || !schemePattern.MatchString(u.Scheme) {
		return want
	}
	if strings.Contains(raw, "#") {
		return "want a URL without a #fragment (Cognito refuses them)"
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		if u.Host == "" {
			return "want a host after https://"
		}
	case "http":
		if !loopback.IsHost(u.Hostname()) {
			return "want https; plain http is allowed only for http://localhost, http://127.0.0.1 and http://[::1]"
		}
	default: // a native app's custom scheme, e.g. myapp://callback
	}
	return ""
}

// withScheme turns host[:port][/path] into the URL it probably stands for: http:// on a
// loopback host, https:// elsewhere; "" when raw does not start with a host name.
func withScheme(raw string) string {
	u, err := url.Parse("http://" + raw)
	if err != nil || u.User != nil {
		return ""
	}
	host := u.Hostname()
	switch {
	case loopback.IsHost(host):
		return "http://" + raw
	case strings.Contains(host, ".") && domainLabelsPattern.MatchString(host):
		return "https://" + raw
	}
	return ""
}

func (v *validator) api(s Stage) {
	v.problems = append(v.problems, s.Routes.Check(v.at("routes"), s.ResourceServer.FullNames(), s.GroupNames())...)
	for i, r := range s.Routes {
		for j, g := range r.Groups {
			if msg := checkGroupName(g); msg != "" {
				v.add(fmt.Sprintf("%s[%d].groups[%d]", v.at("routes"), i, j), g, msg)
			}
		}
		if r.Access == routes.Public && api.NeedsCaller(r.Key()) {
			v.add(fmt.Sprintf("%s[%d].access", v.at("routes"), i), r.Access, fmt.Sprintf(`want "protected" or "scoped": the handler's %s answers for a signed-in caller`, r.Key()))
		}
	}
	if enc := fnenv.EncodeRoutes(s.Routes); len(enc) > maxRouteTableBytes {
		v.add(v.at("routes"), fmt.Sprintf("%d routes", len(s.Routes)), fmt.Sprintf("want a table that encodes to at most %d bytes (it is %d): it travels in the Lambda's 4 KB environment", maxRouteTableBytes, len(enc)))
	}

	if s.Authorizer != "cognito" && s.Authorizer != "lambda" {
		v.add(v.at("authorizer"), s.Authorizer, `want "cognito" (API Gateway's Cognito authorizer) or "lambda" (the Go token authorizer)`)
	}
	origins := s.CORS.AllowOrigins
	for i, o := range origins {
		where := fmt.Sprintf("%s[%d]", v.at("cors.allowOrigins"), i)
		if o == "*" && len(origins) > 1 {
			v.add(where, o, `want "*" alone, or exact origins`)
		}
		if msg := origin.Check(o); msg != "" {
			v.add(where, o, msg)
		}
	}
	if m := s.CORS.MaxAgeSeconds; m < 0 || m > 86400 {
		v.add(v.at("cors.maxAgeSeconds"), m, "want 0 to 86400 seconds")
	}
	if c := s.AuthorizerCacheSeconds; c < 0 || c > 3600 {
		v.add(v.at("authorizerCacheSeconds"), c, "want 0 to 3600 seconds (0 turns the cache off)")
	}
	if r := s.Throttling.RateLimit; r <= 0 || r > 10000 {
		v.add(v.at("throttling.rateLimit"), r, "want more than 0 and at most 10000 requests per second (the account default)")
	}
	if b := s.Throttling.BurstLimit; b < 1 || b > 5000 {
		v.add(v.at("throttling.burstLimit"), b, "want 1 to 5000 requests (the account default)")
	}
	v.wafRateLimit("waf.rateLimit", s.WAF.RateLimit)
	if !slices.Contains(logRetentionDays, s.LogRetentionDays) {
		v.add(v.at("logRetentionDays"), s.LogRetentionDays, fmt.Sprintf("want one of CloudWatch's retention periods: %s", strings.Trim(fmt.Sprint(logRetentionDays), "[]")))
	}
}
