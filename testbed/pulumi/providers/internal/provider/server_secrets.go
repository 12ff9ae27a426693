package provider

// Keeping secrets out of error messages: scrub and CollectSecrets.

import (
	"errors"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// scrub removes every secret string from an error message.
func (s *Server) scrub(err error, maps ...resource.PropertyMap) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	var secrets []string
	for _, m := range maps {
		secrets = append(secrets, CollectSecrets(m)...)
	}
	if s.ExtraSecrets != nil {
		secrets = append(secrets, s.ExtraSecrets()...)
	}
	// Replace longer secrets first so a secret that contains another is fully hidden.
	sort.Slice(secrets, func(i, j int) bool { return len(secrets[i]) > len(secrets[j]) })
	for _, sec := range secrets {
		if sec != "" {
			msg = strings.ReplaceAll(msg, sec, "[secret]")
		}
	}
	if msg == err.Error() {
		return err
	}
	return errors.New(msg)
}

// CollectSecrets returns every string held under a secret in m.
func CollectSecrets(m resource.PropertyMap) []string {
	var out []string
	var walk func(v resource.PropertyValue, secret bool)
	walk = func(v resource.PropertyValue, secret bool) {
		switch {
		case v.IsSecret():
			walk(v.SecretValue().Element, true)
		case v.IsOutput():
			o := v.OutputValue()
			if o.Known {
				walk(o.Element, secret || o.Secret)
			}
		case v.IsString():
			if secret {
				out = append(out, v.StringValue())
			}
		case v.IsArray():
			for _, e := range v.ArrayValue() {
				walk(e, secret)
			}
		case v.IsObject():
			for _, e := range v.ObjectValue() {
				walk(e, secret)
			}
		}
	}
	for _, v := range m {
		walk(v, false)
	}
	return out
}
