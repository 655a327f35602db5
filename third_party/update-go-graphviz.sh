#!/usr/bin/env bash
# Rebuilds third_party/go-graphviz, the patched copy of
# github.com/goccy/go-graphviz that go.mod's replace directive points at:
# upstream's module from the Go module cache, gofmt'ed (CI checks the format
# of every Go file in the repository), without .github/ and .gitignore (whose
# patterns would keep its test images out of git), with go-graphviz.patch
# applied. Then it runs the copy's tests.
#
#   third_party/update-go-graphviz.sh           # rebuild at the version go.mod requires
#   third_party/update-go-graphviz.sh v0.2.11   # upgrade: also updates go.mod; review
#                                               # `git diff third_party`, then go mod tidy
#   third_party/update-go-graphviz.sh --diff    # after editing the copy by hand (say, when
#                                               # the patch no longer applies): rewrite the
#                                               # patch from it
#
# The patch: the WebAssembly module is instantiated on first use instead of
# in a package init; the compilation cache directory is a setting
# (SetCompilationCache) instead of $TMPDIR; cache entries are sealed with a
# checksum, and a damaged or unusable cache costs a fresh compile with one
# report instead of a panic or a crash.
set -euo pipefail
cd "$(dirname "$0")"
module=github.com/goccy/go-graphviz
copy=go-graphviz
patch=$PWD/go-graphviz.patch

mode=apply
version=$(cd .. && go list -m -f '{{.Version}}' "$module")
case "${1:-}" in
--diff) mode=diff ;;
v*) version=$1 ;;
"") ;;
*)
	echo "usage: $0 [VERSION | --diff]" >&2
	exit 2
	;;
esac

tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT

# pristine DIR: upstream's module at $version, as the copy starts.
pristine() {
	local src
	# Outside any module, so that go.mod and go.sum stay as they are.
	src=$(cd "$tmp" && GOFLAGS=-mod=mod go mod download -json "$module@$version" |
		sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	[ -d "$src" ] || {
		echo "go mod download found no directory for $module@$version" >&2
		exit 1
	}
	cp -R "$src" "$1"
	chmod -R u+w "$1"
	rm -rf "$1/.github" "$1/.gitignore"
	gofmt -w "$1"
}

if [ "$mode" = diff ]; then
	mkdir "$tmp/d"
	pristine "$tmp/d/a"
	cp -R "$copy" "$tmp/d/b"
	# git diff exits 1 when the trees differ.
	(cd "$tmp/d" && git diff --no-index --no-prefix --no-color --no-ext-diff a b >"$patch") || [ $? = 1 ]
	echo "wrote $patch ($(grep -c '^diff --git' "$patch") files)"
	exit 0
fi

pristine "$tmp/new"
(cd "$tmp/new" && git apply -p1 "$patch")
rm -rf "$copy"
mv "$tmp/new" "$copy"
if [ "$version" != "$(cd .. && go list -m -f '{{.Version}}' "$module")" ]; then
	(cd .. && go mod edit -require="$module@$version")
fi
echo "rebuilt $copy from $module@$version with $(basename "$patch"); testing it"
(cd "$copy" && go vet ./... && go test ./...)
