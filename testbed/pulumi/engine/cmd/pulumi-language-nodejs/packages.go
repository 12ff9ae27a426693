package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// packageJSON is the part of a package.json we read.
type packageJSON struct {
	Name            string                  `json:"name"`
	Version         string                  `json:"version"`
	Pulumi          plugin.PulumiPluginJSON `json:"pulumi"`
	Dependencies    map[string]string       `json:"dependencies"`
	DevDependencies map[string]string       `json:"devDependencies"`
}

func readPackageJSON(path string) (packageJSON, error) {
	var p packageJSON
	b, err := os.ReadFile(path)
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return p, fmt.Errorf("parsing %s: %w", path, err)
	}
	return p, nil
}

// GetRequiredPackages tells the engine which resource plugins the program needs, so it can
// load them before the program runs. Like upstream, a package declares its plugin in its
// package.json: "pulumi": {"resource": true, "name": ..., "version": ..., "server": ...}.
func (h *host) GetRequiredPackages(ctx context.Context,
	req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	info := programInfo(req.GetInfo(), ".", "")
	deps, err := scanPackages(info.ProgramDirectory)
	if err != nil {
		// Best effort, as upstream: a broken package.json somewhere must not block a deployment.
		logging.V(3).Infof("errors while discovering plugins: %v", err)
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: deps}, nil
}

// GetRequiredPlugins is the deprecated predecessor of GetRequiredPackages; older engines call it.
func (h *host) GetRequiredPlugins(ctx context.Context,
	req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	info := programInfo(req.GetInfo(), req.GetPwd(), req.GetProgram())
	deps, err := scanPackages(info.ProgramDirectory)
	if err != nil {
		logging.V(3).Infof("errors while discovering plugins: %v", err)
	}
	plugins := make([]*pulumirpc.PluginDependency, 0, len(deps))
	for _, d := range deps {
		plugins = append(plugins, &pulumirpc.PluginDependency{
			Name: d.Name, Kind: d.Kind, Version: d.Version, Server: d.Server,
		})
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

// scanPackages walks dir and every node_modules below it (following symlinks once, as pnpm and
// workspaces use them) and collects the plugin declarations of the packages it finds. Errors
// are collected rather than fatal so one bad package does not hide the others.
func scanPackages(dir string) ([]*pulumirpc.PackageDependency, error) {
	var (
		found   []*pulumirpc.PackageDependency
		errs    []error
		seen    = map[string]bool{}
		visited = map[string]bool{}
	)
	var walk func(dir string, inNodeModules bool)
	walk = func(dir string, inNodeModules bool) {
		real, err := filepath.EvalSymlinks(dir)
		if err != nil {
			errs = append(errs, err)
			return
		}
		if visited[real] {
			return
		}
		visited[real] = true

		entries, err := os.ReadDir(real)
		if err != nil {
			errs = append(errs, err)
			return
		}
		for _, e := range entries {
			name := e.Name()
			path := filepath.Join(real, name)
			isDir := e.IsDir()
			if e.Type()&os.ModeSymlink != 0 {
				st, err := os.Stat(path)
				if err != nil {
					continue // dangling link: nothing to load from it anyway
				}
				isDir = st.IsDir()
			}
			switch {
			case isDir:
				if name == ".git" {
					continue
				}
				// Plugins a nested policy pack depends on are not the program's dependencies.
				if pack, _ := workspace.DetectPolicyPackPathAt(path); pack != "" {
					continue
				}
				walk(path, inNodeModules || filepath.Base(real) == "node_modules")
			case inNodeModules && name == "package.json":
				dep, err := pluginFromPackageJSON(path)
				if err != nil {
					errs = append(errs, err)
				} else if dep != nil {
					key := dep.Name + "@" + dep.Version
					if !seen[key] {
						seen[key] = true
						found = append(found, dep)
					}
				}
			}
		}
	}
	walk(dir, false)
	sort.Slice(found, func(i, j int) bool {
		if found[i].Name != found[j].Name {
			return found[i].Name < found[j].Name
		}
		return found[i].Version < found[j].Version
	})
	return found, errors.Join(errs...)
}

// pluginFromPackageJSON returns the plugin a package declares, or nil if it declares none.
func pluginFromPackageJSON(path string) (*pulumirpc.PackageDependency, error) {
	p, err := readPackageJSON(path)
	if err != nil {
		return nil, err
	}
	if !p.Pulumi.Resource {
		return nil, nil
	}

	name := p.Pulumi.Name
	if name == "" {
		// Only first-party @pulumi/x packages may leave the plugin name implicit.
		if !strings.HasPrefix(p.Name, "@pulumi/") {
			return nil, fmt.Errorf("%s: third-party package %q must set pulumi.name", path, p.Name)
		}
		name = strings.TrimPrefix(p.Name, "@pulumi/")
	}
	ver := p.Pulumi.Version
	if ver == "" {
		ver = p.Version
	}
	if ver == "" {
		return nil, fmt.Errorf("%s: missing version", path)
	}
	if !strings.HasPrefix(ver, "v") {
		ver = "v" + ver
	}

	dep := &pulumirpc.PackageDependency{Name: name, Kind: "resource", Version: ver, Server: p.Pulumi.Server}
	if x := p.Pulumi.Parameterization; x != nil {
		dep.Parameterization = &pulumirpc.PackageParameterization{Name: x.Name, Version: x.Version, Value: x.Value}
	}
	if x := p.Pulumi.ExtensionParameterization; x != nil {
		dep.Extension = &pulumirpc.PackageParameterization{Name: x.Name, Version: x.Version, Value: x.Value}
	}
	return dep, nil
}

// GetProgramDependencies backs `pulumi about`: the npm packages the program uses. We ask the
// package manager first (it knows about lock files and workspaces) and fall back to reading
// package.json plus node_modules, so this also works when e.g. `npm ls` is unhappy.
func (h *host) GetProgramDependencies(ctx context.Context,
	req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	info := programInfo(req.GetInfo(), req.GetPwd(), req.GetProgram())
	opts, err := h.options(info.Options)
	if err != nil {
		return nil, err
	}
	dir := info.ProgramDirectory

	if pm, err := npm.ResolvePackageManager(opts.packagemanager, dir); err == nil {
		pkgs, err := pm.ListPackages(ctx, dir, req.TransitiveDependencies)
		if err == nil {
			out := make([]*pulumirpc.DependencyInfo, 0, len(pkgs))
			for _, p := range pkgs {
				out = append(out, &pulumirpc.DependencyInfo{Name: p.Name, Version: p.Version})
			}
			return &pulumirpc.GetProgramDependenciesResponse{Dependencies: out}, nil
		}
		logging.V(5).Infof("%s could not list packages, reading node_modules instead: %v", pm.Name(), err)
	}

	manifest, err := npm.SearchupPackageManifest(dir)
	if err != nil {
		return nil, fmt.Errorf("no package.json found for %s: %w", dir, err)
	}
	root, err := readPackageJSON(manifest)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(root.Dependencies)+len(root.DevDependencies))
	for n := range root.Dependencies {
		names = append(names, n)
	}
	for n := range root.DevDependencies {
		if _, dup := root.Dependencies[n]; !dup {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	out := make([]*pulumirpc.DependencyInfo, 0, len(names))
	for _, n := range names {
		installed, err := readPackageJSON(filepath.Join(filepath.Dir(manifest), "node_modules", n, "package.json"))
		if err != nil {
			continue // declared but not installed
		}
		out = append(out, &pulumirpc.DependencyInfo{Name: n, Version: installed.Version})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: out}, nil
}
