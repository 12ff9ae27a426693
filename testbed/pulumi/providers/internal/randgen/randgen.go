// Package randgen generates random strings with the rules of
// terraform-provider-random (internal/random/string.go): the minimum counts
// are drawn from their classes first (even when the class itself is
// disabled, as upstream does), the rest from the enabled classes, and the
// result is shuffled; every draw uses crypto/rand.
package randgen

import (
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
)

const (
	NumChars     = "0123456789"
	LowerChars   = "abcdefghijklmnopqrstuvwxyz"
	UpperChars   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	SpecialChars = "!@#$%&*()-_=+[]{}<>:?"
)

// Params mirror the inputs of random_string / random_password.
type Params struct {
	Length          int64
	Upper           bool
	MinUpper        int64
	Lower           bool
	MinLower        int64
	Numeric         bool
	MinNumeric      int64
	Special         bool
	MinSpecial      int64
	OverrideSpecial string
}

// Validate applies the upstream validators: length >= 1 and length >= the sum of the minimums.
func (p Params) Validate() error {
	if p.Length < 1 {
		return fmt.Errorf("length must be at least 1, got: %d", p.Length)
	}
	for name, v := range map[string]int64{"min_upper": p.MinUpper, "min_lower": p.MinLower, "min_numeric": p.MinNumeric, "min_special": p.MinSpecial} {
		if v < 0 {
			return fmt.Errorf("%s must not be negative, got: %d", name, v)
		}
	}
	if sum := p.MinUpper + p.MinLower + p.MinNumeric + p.MinSpecial; p.Length < sum {
		return fmt.Errorf("length value must be at least sum of min_upper + min_lower + min_numeric + min_special (%d), got: %d", sum, p.Length)
	}
	return nil
}

// SpecialSet is the special character set in effect.
func (p Params) SpecialSet() string {
	if p.OverrideSpecial != "" {
		return p.OverrideSpecial
	}
	return SpecialChars
}

// Charset is the set the non-minimum characters are drawn from.
func (p Params) Charset() string {
	chars := ""
	if p.Upper {
		chars += UpperChars
	}
	if p.Lower {
		chars += LowerChars
	}
	if p.Numeric {
		chars += NumChars
	}
	if p.Special {
		chars += p.SpecialSet()
	}
	return chars
}

// Generate returns a random string per p.
func Generate(p Params) (string, error) {
	if err := p.Validate(); err != nil {
		return "", err
	}
	result := make([]byte, 0, p.Length)
	for _, m := range []struct {
		set string
		n   int64
	}{{NumChars, p.MinNumeric}, {LowerChars, p.MinLower}, {UpperChars, p.MinUpper}, {p.SpecialSet(), p.MinSpecial}} {
		b, err := draw(m.set, m.n)
		if err != nil {
			return "", err
		}
		result = append(result, b...)
	}
	rest, err := draw(p.Charset(), p.Length-int64(len(result)))
	if err != nil {
		return "", err
	}
	result = append(result, rest...)
	if err := shuffle(result); err != nil {
		return "", err
	}
	return string(result), nil
}

func draw(set string, n int64) ([]byte, error) {
	if n <= 0 {
		return nil, nil
	}
	if set == "" {
		return nil, errors.New("no characters to choose from: enable at least one of upper, lower, numeric, special")
	}
	out := make([]byte, n)
	max := big.NewInt(int64(len(set)))
	for i := range out {
		idx, err := rand.Int(rand.Reader, max)
		if err != nil {
			return nil, err
		}
		out[i] = set[idx.Int64()]
	}
	return out, nil
}

// shuffle is a Fisher-Yates shuffle driven by crypto/rand.
func shuffle(b []byte) error {
	for i := len(b) - 1; i > 0; i-- {
		j, err := rand.Int(rand.Reader, big.NewInt(int64(i+1)))
		if err != nil {
			return err
		}
		b[i], b[j.Int64()] = b[j.Int64()], b[i]
	}
	return nil
}
