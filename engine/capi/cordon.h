/* cordon.h: the C ABI of the cordon rules engine (C99), for Go, Python and Rust
 * control planes. Load a policy set once, then decide JSON requests from any number
 * of threads; every decision is the JSON of INTERFACES.md ("A decision").
 *
 *     char* err = NULL;
 *     cordon_policy_set* set = cordon_load("policies/us", &err);
 *     if (!set) { fprintf(stderr, "%s", err); cordon_free_string(err); return 2; }
 *     char* decision = NULL;
 *     int rc = cordon_decide_json(set, json, strlen(json), NULL, NULL, &decision);
 *     if (decision) { puts(decision); cordon_free_string(decision); }
 *     cordon_free(set);
 *
 * Contract:
 * - No exception, abort or exit crosses this ABI; failures are return codes.
 * - Strings returned through `char**` out-parameters are malloc'd, NUL-terminated UTF-8,
 *   owned by the caller, and released with cordon_free_string().
 * - A cordon_policy_set is immutable: share it between threads freely. Each thread keeps
 *   its own scratch state (no lock is shared between deciding threads). cordon_free() must
 *   not race with calls that use the same set.
 * - To replace the policy set while threads decide, decide through a cordon_live and
 *   swap versions into it (docs/embedding.md). A version stays alive while any call
 *   (or any thread's cached scratch state) uses it, however soon it is freed.
 */
#ifndef CORDON_H
#define CORDON_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define CORDON_API __attribute__((visibility("default")))
#else
#define CORDON_API
#endif

/* Return codes of cordon_decide_json (aligned with the CLI's exit statuses). */
#define CORDON_OK 0             /* decided; the decision JSON may say allow, deny or report */
#define CORDON_BAD_ARGUMENT 1   /* a NULL pointer, a bad `as_of` or `include` */
#define CORDON_BAD_INPUT 3      /* the request is not valid JSON or does not fit the schema */
#define CORDON_INTERNAL_ERROR 5 /* out of memory or another failure inside the engine */

/* A loaded, compiled policy set (opaque). */
typedef struct cordon_policy_set cordon_policy_set;

/* Loads the policy set in directory `dir` (cordon.yaml, schema.yaml, *.cordon).
 * Returns NULL on failure; then, when `error_out` is not NULL, *error_out receives the
 * diagnostics rendered as text ("file:line:col: error[E0202]: ..." with carets, one
 * per line group, ending in a summary line). Warnings of a successful load are dropped:
 * *error_out is set to NULL on success. */
CORDON_API cordon_policy_set* cordon_load(const char* dir, char** error_out);

/* Decides one request given as JSON text of `len` bytes (need not be NUL-terminated).
 * `as_of`: "YYYY-MM-DD", or NULL for today (UTC); a request's own `time` wins (unless
 * cordon_set_request_time says otherwise). The decision's "time_source" says which applied.
 * `include`: extra statuses to enforce, comma-separated ("proposed,bill"), or NULL.
 * *decision_json_out receives the decision JSON (one line) and is set whatever the
 * return code, so a caller that only reads the JSON still fails closed:
 * - CORDON_OK: the decision.
 * - CORDON_BAD_INPUT: a deny decision whose `errors` holds the input error, e.g.
 *   {"rule":null,"input":"customer.hq_contry","message":"request: customer.hq_contry: unknown field; ..."}
 * - CORDON_BAD_ARGUMENT, CORDON_INTERNAL_ERROR: a deny decision whose `errors` says why
 *   (NULL only when memory ran out). A NULL `decision_json_out` is CORDON_BAD_ARGUMENT
 *   and nothing is decided.
 * Thread-safe. */
CORDON_API int cordon_decide_json(const cordon_policy_set* set, const char* request_json, size_t len,
                                  const char* as_of, const char* include, char** decision_json_out);

/* What calls on `set` make of a request's own `time` (docs/security.md): `mode` "honour"
 * (the default: decide as of it, for replaying logs), "refuse" (a request that gives a
 * `time` is CORDON_BAD_INPUT: a deny whose error names `time`) or "ignore" (decide as of
 * `as_of`, or today). `window`: NULL, or the days an honoured `time` must fall in,
 * "FROM..TO" (YYYY-MM-DD; either end may be left out) or "DAYS" (within DAYS of `as_of`
 * or today); a `time` outside is CORDON_BAD_INPUT too. Returns CORDON_OK, or
 * CORDON_BAD_ARGUMENT with *error_out (when not NULL) saying why, the rule unchanged.
 * Call it before deciding, not concurrently with cordon_decide_json on the same set. */
CORDON_API int cordon_set_request_time(cordon_policy_set* set, const char* mode, const char* window, char** error_out);

/* Runs the set's rules as native code from `so_path`, a shared object made for this very
 * set by `cordon native -p DIR -o FILE.so` (docs/commands/native.md): the same decisions,
 * typically 1.5-2.5x faster. An object made from another set or cordon build is refused.
 * Returns CORDON_OK, or CORDON_BAD_ARGUMENT with *error_out (when not NULL) saying why;
 * the set then keeps deciding as before. Call it before deciding, not concurrently with
 * cordon_decide_json on the same set. */
CORDON_API int cordon_load_native(cordon_policy_set* set, const char* so_path, char** error_out);

/* "sha256:<hex>" of the set's canonical form, as named in every decision; owned by
 * the set (valid until cordon_free). NULL for a NULL set. */
CORDON_API const char* cordon_digest(const cordon_policy_set* set);

/* The set's name from cordon.yaml; owned by the set. NULL for a NULL set. */
CORDON_API const char* cordon_name(const cordon_policy_set* set);

/* Releases a string returned through an out-parameter. NULL is ignored. */
CORDON_API void cordon_free_string(char* s);

/* Releases a policy set. NULL is ignored. No call may use the set afterwards; a
 * cordon_live it was swapped into keeps its own reference. */
CORDON_API void cordon_free(cordon_policy_set* set);

/* cordon's version, "MAJOR.MINOR.PATCH" (static storage). */
CORDON_API const char* cordon_version(void);

/* A slot holding the current version of a policy set, replaced atomically while other
 * threads decide through it (opaque; reference-counted versions inside). */
typedef struct cordon_live cordon_live;

/* A slot serving `set`'s current version; `set` may be freed afterwards. NULL when `set`
 * is NULL or memory ran out. */
CORDON_API cordon_live* cordon_live_new(const cordon_policy_set* set);

/* Makes `set`'s current version the one `live` serves. Calls already running finish on
 * the version they started with; each later call sees the new one (decode and decide of
 * one call always use the same version). CORDON_BAD_ARGUMENT on a NULL argument.
 * Thread-safe, also against cordon_live_decide_json. */
CORDON_API int cordon_live_swap(cordon_live* live, const cordon_policy_set* set);

/* cordon_decide_json on the slot's current version. Thread-safe. */
CORDON_API int cordon_live_decide_json(const cordon_live* live, const char* request_json, size_t len,
                                       const char* as_of, const char* include, char** decision_json_out);

/* cordon_set_request_time for calls through the slot (its own rule, whatever set is
 * swapped in). Not concurrently with cordon_live_decide_json on the same slot. */
CORDON_API int cordon_live_set_request_time(cordon_live* live, const char* mode, const char* window, char** error_out);

/* The digest of the slot's current version, malloc'd (cordon_free_string); NULL for NULL. */
CORDON_API char* cordon_live_digest(const cordon_live* live);

/* Releases the slot (the versions are freed when no call or thread uses them). Must not
 * race with calls that use the slot. NULL is ignored. */
CORDON_API void cordon_live_free(cordon_live* live);

#ifdef __cplusplus
}
#endif

#endif /* CORDON_H */
