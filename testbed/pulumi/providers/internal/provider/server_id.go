package provider

// The "id" output, as the Terraform bridge keeps it.
//
// The engine never takes an id from Update (pulumirpc.UpdateResponse has no
// id; deploy.UpdateStep.Apply copies the old one), so after an update that
// changes the id (a rename: upstream d.SetId(newName)) the state still holds
// the old id. The bridge copes by carrying the id in the outputs too:
// MakeTerraformResult puts the Terraform "id" attribute in the outputs of
// Create, Update and Read, and Read/Delete rebuild the Terraform state from
// the outputs, where an "id" attribute wins over the request's id
// (sdk-v2 v2Resource2.InstanceState only adds the request id when the object
// has none). Read then answers with the id it found, and the engine's
// RefreshStep adopts it ("Refreshing ID; oldId=..., newId=...").

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"gatehouse.local/testbed/pulumi/providers/internal/props"
)

const idKey = resource.PropertyKey("id")

// withID returns outs with the "id" output set to id (unknown when id is "").
func withID(outs resource.PropertyMap, id string) resource.PropertyMap {
	out := outs.Copy()
	if id == "" {
		out[idKey] = props.Unknown()
	} else {
		out[idKey] = resource.NewStringProperty(id)
	}
	return out
}

// stateID is the id to work on for a state: its "id" output when it has a
// known one, else the id the engine sent (states written without the output).
func stateID(state resource.PropertyMap, reqID string) string {
	if id, ok := props.String(state, string(idKey)); ok && id != "" {
		return id
	}
	return reqID
}
