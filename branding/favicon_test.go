package branding

import (
	"bytes"
	"encoding/binary"
	"flag"
	"math"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite generated files (assets/favicon-ico-dynamic.ico)")

// TestFavicon keeps assets/favicon-ico-dynamic.ico in step with form-logo-dynamic.svg's design: a keyhole on a teal
// tile, drawn here at 16, 32 and 48 pixels. Run with -update after changing the drawing.
func TestFavicon(t *testing.T) {
	want := favicon(16, 32, 48)
	const path = "assets/favicon-ico-dynamic.ico"
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is out of date: go test ./branding -run TestFavicon -update", path)
	}
}

// favicon builds an ICO file of 32-bit BMP images. BMP rather than PNG inside keeps the bytes
// independent of the compressor, so the check above stays exact across Go versions.
func favicon(sizes ...int) []byte {
	var head, body bytes.Buffer
	le := binary.LittleEndian
	binary.Write(&head, le, [3]uint16{0, 1, uint16(len(sizes))}) // reserved, type icon, count
	offset := 6 + 16*len(sizes)
	for _, n := range sizes {
		img := iconBMP(n)
		binary.Write(&head, le, struct {
			W, H, Colors, Reserved uint8
			Planes, BitCount       uint16
			Size, Offset           uint32
		}{uint8(n), uint8(n), 0, 0, 1, 32, uint32(len(img)), uint32(offset)})
		offset += len(img)
		body.Write(img)
	}
	return append(head.Bytes(), body.Bytes()...)
}

// iconBMP draws the logo at n×n pixels as an ICO BMP: header, bottom-up BGRA rows, AND mask.
func iconBMP(n int) []byte {
	var b bytes.Buffer
	le := binary.LittleEndian
	binary.Write(&b, le, struct {
		Size          uint32
		Width, Height int32
		Planes, Bits  uint16
		Compression   uint32
		ImageSize     uint32
		XPPM, YPPM    int32
		Used, Import  uint32
	}{40, int32(n), int32(2 * n), 1, 32, 0, uint32(n * n * 4), 0, 0, 0, 0})
	for y := n - 1; y >= 0; y-- {
		for x := 0; x < n; x++ {
			r, g, bl, a := logoPixel(x, y, n)
			b.Write([]byte{bl, g, r, a})
		}
	}
	// The AND mask is all zeros: the alpha channel already says what is transparent.
	b.Write(make([]byte, n*((n+31)/32*4)))
	return b.Bytes()
}

// logoPixel samples the logo (in form-logo-dynamic.svg's 64-unit space) 4×4 times within pixel (x, y).
func logoPixel(x, y, n int) (r, g, b, a uint8) {
	const ss = 4
	var sr, sg, sb, sa float64
	for i := 0; i < ss; i++ {
		for j := 0; j < ss; j++ {
			u := (float64(x) + (float64(i)+0.5)/ss) * 64 / float64(n)
			v := (float64(y) + (float64(j)+0.5)/ss) * 64 / float64(n)
			if !inRoundedSquare(u, v, 64, 14) {
				continue
			}
			// Tile gradient from #14b8a6 (top) to #0f766e (bottom); the keyhole is white.
			cr, cg, cb := mix(0x14, 0x0f, v/64), mix(0xb8, 0x76, v/64), mix(0xa6, 0x6e, v/64)
			if inKeyhole(u, v) {
				cr, cg, cb = 255, 255, 255
			}
			sr, sg, sb, sa = sr+cr, sg+cg, sb+cb, sa+1
		}
	}
	if sa == 0 {
		return 0, 0, 0, 0
	}
	round := func(f float64) uint8 { return uint8(math.Round(f)) }
	return round(sr / sa), round(sg / sa), round(sb / sa), round(255 * sa / ss / ss)
}

func mix(from, to, t float64) float64 { return from + (to-from)*t }

func inRoundedSquare(u, v, size, radius float64) bool {
	cx := math.Max(radius, math.Min(u, size-radius))
	cy := math.Max(radius, math.Min(v, size-radius))
	return u >= 0 && v >= 0 && u <= size && v <= size && math.Hypot(u-cx, v-cy) <= radius
}

// inKeyhole matches form-logo-dynamic.svg: a circle at (32, 25) r 10 over a trapezoid from y 31 (x 27.5 to
// 36.5) down to y 50 (x 23 to 41).
func inKeyhole(u, v float64) bool {
	if math.Hypot(u-32, v-25) <= 10 {
		return true
	}
	if v < 31 || v > 50 {
		return false
	}
	half := mix(4.5, 9, (v-31)/19)
	return math.Abs(u-32) <= half
}
