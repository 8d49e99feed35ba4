package verifier

import (
	"context"
	"testing"
)

// BenchmarkVerify measures a token seen before (cache hit: hash and lookup) and one that is
// not (RSA-2048 verification and claim checks), for both token kinds.
func BenchmarkVerify(b *testing.B) {
	ctx := context.Background()
	for _, cached := range []bool{true, false} {
		f := newFixture(b, func(c *Config) {
			if !cached {
				c.CacheSize = -1
			}
		})
		for _, tc := range []struct {
			name  string
			use   TokenUse
			token string
		}{
			{"id", TokenUseID, f.id()},
			{"access", TokenUseAccess, f.access()},
		} {
			name := tc.name + "/uncached"
			if cached {
				name = tc.name + "/cached"
			}
			b.Run(name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := f.v.Verify(ctx, tc.token, tc.use); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
