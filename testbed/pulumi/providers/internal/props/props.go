// Package props holds the small helpers the stand-in providers use to read
// Pulumi property maps (inputs, state) and to build outputs that keep
// secrets secret and unknowns unknown.
package props

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"google.golang.org/protobuf/types/known/structpb"
)

// Unmarshal turns a gRPC struct into a property map, keeping secrets and unknowns.
func Unmarshal(label string, s *structpb.Struct) (resource.PropertyMap, error) {
	if s == nil {
		return resource.PropertyMap{}, nil
	}
	return plugin.UnmarshalProperties(s, plugin.MarshalOptions{
		Label:         label,
		KeepUnknowns:  true,
		KeepSecrets:   true,
		KeepResources: true,
		SkipNulls:     false,
	})
}

// UnmarshalPair decodes a request's old and new property maps.
func UnmarshalPair(olds, news *structpb.Struct) (resource.PropertyMap, resource.PropertyMap, error) {
	o, err := Unmarshal("olds", olds)
	if err != nil {
		return nil, nil, err
	}
	n, err := Unmarshal("news", news)
	if err != nil {
		return nil, nil, err
	}
	return o, n, nil
}

// Marshal turns a property map into a gRPC struct, keeping secrets and unknowns.
func Marshal(label string, m resource.PropertyMap) (*structpb.Struct, error) {
	return plugin.MarshalProperties(m, plugin.MarshalOptions{
		Label:         label,
		KeepUnknowns:  true,
		KeepSecrets:   true,
		KeepResources: true,
	})
}

// Unwrap strips secret and output wrappers. It reports whether the value was
// secret and whether it is (or contains) an unknown.
func Unwrap(v resource.PropertyValue) (inner resource.PropertyValue, secret bool, unknown bool) {
	for {
		switch {
		case v.IsSecret():
			secret = true
			v = v.SecretValue().Element
		case v.IsOutput():
			o := v.OutputValue()
			if o.Secret {
				secret = true
			}
			if !o.Known {
				return resource.MakeComputed(resource.NewStringProperty("")), secret, true
			}
			v = o.Element
		case v.IsComputed():
			return v, secret, true
		default:
			return v, secret, v.ContainsUnknowns()
		}
	}
}

// Lookup returns the unwrapped value of key k; ok is false when it is absent or null.
func Lookup(m resource.PropertyMap, k string) (v resource.PropertyValue, ok bool) {
	raw, has := m[resource.PropertyKey(k)]
	if !has {
		return resource.PropertyValue{}, false
	}
	v, _, _ = Unwrap(raw)
	if v.IsNull() {
		return v, false
	}
	return v, true
}

// Has reports whether key k is present and not null (unknown counts as present).
func Has(m resource.PropertyMap, k string) bool {
	_, ok := Lookup(m, k)
	return ok
}

// IsUnknown reports whether key k is present and unknown (or contains unknowns).
func IsUnknown(m resource.PropertyMap, k string) bool {
	raw, has := m[resource.PropertyKey(k)]
	if !has {
		return false
	}
	_, _, unknown := Unwrap(raw)
	return unknown
}

// IsSecret reports whether key k holds a secret value.
func IsSecret(m resource.PropertyMap, k string) bool {
	raw, has := m[resource.PropertyKey(k)]
	if !has {
		return false
	}
	_, secret, _ := Unwrap(raw)
	return secret || raw.ContainsSecrets()
}
