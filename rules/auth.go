package rules

import (
	"fmt"

	"github.com/archdiag/archdiag/model"
)

// argon2Minimums are OWASP's equivalent Argon2id settings (memory in KiB,
// iterations), each with one degree of parallelism.
var argon2Minimums = []struct{ memKiB, iterations int }{
	{47104, 1}, {19456, 2}, {12288, 3}, {9216, 4}, {7168, 5},
}

// scryptMinimums are OWASP's equivalent scrypt settings (log2 N,
// parallelism), each with r = 8.
var scryptMinimums = []struct{ logN, parallelism int }{
	{17, 1}, {16, 2}, {15, 3}, {14, 5}, {13, 10},
}

// AuthWeakPasswordHash reports password hashing below OWASP's minimums.
var AuthWeakPasswordHash = &Rule{
	ID:       "auth/weak-password-hash",
	Title:    "passwords are hashed with a fast algorithm or weak parameters",
	Severity: model.SeverityError,
	Doc: `Whoever steals the credential table brute-forces it offline, as fast as the
hash allows. Only slow, preferably memory-hard, password hashing functions
make that expensive. Passwords must be hashed one way, never encrypted.

Trigger: an auth store whose password_hash algorithm is md5, sha1, sha256,
sha512, plaintext or encrypted; or whose stated parameters fall below the
OWASP Password Storage Cheat Sheet: Argon2id with 19,456 KiB and 2
iterations (or an equivalent: 47,104 KiB × 1, 12,288 × 3, 9,216 × 4,
7,168 × 5); scrypt with N = 2^17 and parallelism 1 (or 2^16 × 2, 2^15 × 3,
2^14 × 5, 2^13 × 10); bcrypt cost 10; PBKDF2-HMAC-SHA256 with 600,000
iterations, PBKDF2-HMAC-SHA512 with 210,000. Parameters that are not
written are not judged.

Example:

    auth-db:
      kind: auth_store
      password_hash: { algorithm: argon2id, memory_kib: 19456, iterations: 2, parallelism: 1 }
      salt: per_user`,
	Fix: "Hash passwords with Argon2id at OWASP's parameters (19 MiB, 2 iterations, parallelism 1) and rehash each password at its next login.",
	Run: func(p *Pass) {
		for _, c := range p.Model.Components {
			h := c.PasswordHash
			if c.Kind.Val != model.AuthStore || h == nil {
				continue
			}
			if pos, msg := weakHash(h); msg != "" {
				p.Reportf(c, pos, "'%s' %s", c.ID, msg)
			}
		}
	},
}

// weakHash says what is weak about h, and where, or returns "".
func weakHash(h *model.PasswordHash) (model.Pos, string) {
	alg := h.Algorithm
	switch alg.Val {
	case "md5", "sha1", "sha256", "sha512":
		return alg.Pos, fmt.Sprintf("hashes passwords with %s, a fast hash: a stolen table can be tried at billions of guesses per second on one GPU", alg.Val)
	case "plaintext":
		return alg.Pos, "stores passwords in plain text: whoever reads the table has every password"
	case "encrypted":
		return alg.Pos, "encrypts passwords: whoever has the key has every password, so hash them one way instead"
	case "argon2id":
		if !h.MemoryKiB.Set() && !h.Iterations.Set() {
			return model.Pos{}, ""
		}
		for _, m := range argon2Minimums {
			if (!h.MemoryKiB.Set() || h.MemoryKiB.Val >= m.memKiB) && (!h.Iterations.Set() || h.Iterations.Val >= m.iterations) {
				return model.Pos{}, ""
			}
		}
		return h.MemoryKiB.Pos.Or(h.Iterations.Pos), fmt.Sprintf("hashes passwords with argon2id at %s and %s, below OWASP's minimum of 19,456 KiB with 2 iterations (or an equivalent such as 47,104 KiB with 1)",
			unknownOr(h.MemoryKiB, "%s KiB"), unknownOr(h.Iterations, "%s iterations"))
	case "scrypt":
		if !h.Cost.Set() {
			return model.Pos{}, ""
		}
		for _, m := range scryptMinimums {
			if h.Cost.Val >= m.logN && (!h.Parallelism.Set() || h.Parallelism.Val >= m.parallelism) {
				return model.Pos{}, ""
			}
		}
		return h.Cost.Pos, fmt.Sprintf("hashes passwords with scrypt at N = 2^%d and %s, below OWASP's minimum of N = 2^17 with parallelism 1 (or 2^16 with 2, down to 2^13 with 10)",
			h.Cost.Val, unknownOr(h.Parallelism, "parallelism %s"))
	case "bcrypt":
		if h.Cost.Set() && h.Cost.Val < 10 {
			return h.Cost.Pos, fmt.Sprintf("hashes passwords with bcrypt cost %d, below OWASP's minimum of 10: each step below it halves an attacker's work", h.Cost.Val)
		}
	case "pbkdf2-sha256", "pbkdf2-sha512":
		least := 600000
		if alg.Val == "pbkdf2-sha512" {
			least = 210000
		}
		if h.Iterations.Set() && h.Iterations.Val < least {
			return h.Iterations.Pos, fmt.Sprintf("hashes passwords with %s at %s iterations, below OWASP's minimum of %s", alg.Val, model.Rate(float64(h.Iterations.Val)), model.Rate(float64(least)))
		}
	}
	return model.Pos{}, ""
}

// unknownOr formats v with format, or says it is not given.
func unknownOr(v model.Int, format string) string {
	if !v.Set() {
		return fmt.Sprintf(format, "unstated")
	}
	return fmt.Sprintf(format, model.Rate(float64(v.Val)))
}

// AuthMissingSalt reports password hashes without a per-user salt.
var AuthMissingSalt = &Rule{
	ID:       "auth/missing-salt",
	Title:    "passwords are hashed without a per-user salt",
	Severity: model.SeverityError,
	Doc: `A salt is a random string added to each password before hashing, so that
identical passwords hash differently and a precomputed table of hashes is
useless. It must be unique per password: one global salt still lets one
table cover every user.

Trigger: an auth store with salt: none or salt: global (unless it stores
plaintext or encrypted passwords, which auth/weak-password-hash reports).
Argon2id, scrypt and bcrypt embed a random salt in each hash, so only an
explicit none or global is reported.

Example:

    auth-db:
      kind: auth_store
      salt: per_user`,
	Fix: "Use a random salt of at least 16 bytes per password from a cryptographic random source, stored with the hash.",
	Run: func(p *Pass) {
		for _, c := range p.Model.Components {
			if c.Kind.Val != model.AuthStore || !c.Salt.Set() {
				continue
			}
			if h := c.PasswordHash; h != nil && (h.Algorithm.Val == "plaintext" || h.Algorithm.Val == "encrypted") {
				continue
			}
			switch c.Salt.Val {
			case "none":
				p.Reportf(c, c.Salt.Pos, "'%s' hashes passwords without a salt: identical passwords get identical hashes, and one precomputed table cracks them all", c.ID)
			case "global":
				p.Reportf(c, c.Salt.Pos, "'%s' uses one salt for every password: identical passwords still share a hash, and one precomputed table covers every user", c.ID)
			}
		}
	},
}
