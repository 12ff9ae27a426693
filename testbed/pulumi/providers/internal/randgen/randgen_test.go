package randgen

import (
	"strings"
	"testing"
)

func count(s, set string) int {
	n := 0
	for _, c := range s {
		if strings.ContainsRune(set, c) {
			n++
		}
	}
	return n
}

func TestDefaultsUseAllClasses(t *testing.T) {
	p := Params{Length: 64, Upper: true, Lower: true, Numeric: true, Special: true}
	s, err := Generate(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(s) != 64 {
		t.Fatalf("length %d", len(s))
	}
	all := UpperChars + LowerChars + NumChars + SpecialChars
	if count(s, all) != 64 {
		t.Fatalf("unexpected characters in %q", s)
	}
}

func TestMinimumsAreHonoured(t *testing.T) {
	p := Params{Length: 12, Upper: true, Lower: true, Numeric: true, Special: true,
		MinUpper: 3, MinLower: 3, MinNumeric: 3, MinSpecial: 3}
	for i := 0; i < 200; i++ {
		s, err := Generate(p)
		if err != nil {
			t.Fatal(err)
		}
		if count(s, UpperChars) < 3 || count(s, LowerChars) < 3 || count(s, NumChars) < 3 || count(s, SpecialChars) < 3 {
			t.Fatalf("minimums not met: %q", s)
		}
	}
}

func TestDisabledClassesAreNotUsed(t *testing.T) {
	p := Params{Length: 200, Lower: true}
	s, err := Generate(p)
	if err != nil {
		t.Fatal(err)
	}
	if count(s, LowerChars) != 200 {
		t.Fatalf("only lower expected: %q", s)
	}
}

func TestMinimumOfDisabledClassStillApplies(t *testing.T) {
	// Upstream draws min_* characters even from a disabled class.
	p := Params{Length: 10, Lower: true, Numeric: false, MinNumeric: 2}
	s, err := Generate(p)
	if err != nil {
		t.Fatal(err)
	}
	if count(s, NumChars) != 2 || count(s, LowerChars) != 8 {
		t.Fatalf("got %q", s)
	}
}

func TestOverrideSpecial(t *testing.T) {
	p := Params{Length: 300, Special: true, OverrideSpecial: "_-"}
	s, err := Generate(p)
	if err != nil {
		t.Fatal(err)
	}
	if count(s, "_-") != 300 {
		t.Fatalf("only override special expected: %q", s)
	}
	// special=false: the override is not used for the general draw.
	p = Params{Length: 50, Upper: true, OverrideSpecial: "_-"}
	s, _ = Generate(p)
	if count(s, UpperChars) != 50 {
		t.Fatalf("got %q", s)
	}
}

func TestValidation(t *testing.T) {
	if _, err := Generate(Params{Length: 0, Lower: true}); err == nil {
		t.Fatal("length 0 must fail")
	}
	if _, err := Generate(Params{Length: 3, Lower: true, MinUpper: 2, MinLower: 2}); err == nil {
		t.Fatal("length below the sum of minimums must fail")
	}
	if _, err := Generate(Params{Length: 3}); err == nil {
		t.Fatal("no character class must fail")
	}
}

func TestResultsDiffer(t *testing.T) {
	p := Params{Length: 32, Upper: true, Lower: true, Numeric: true, Special: true}
	a, _ := Generate(p)
	b, _ := Generate(p)
	if a == b {
		t.Fatal("two draws are equal")
	}
}
