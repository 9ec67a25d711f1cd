/* Embedding cordon from C (C99) through libcordon: load, decide JSON, print, free.
 *
 *     embed_c [POLICY_DIR]     (default: examples/embed_policy; policies/us works too)
 */
#include <stdio.h>
#include <string.h>

#include "cordon.h"

#ifndef EMBED_POLICY_DIR
#define EMBED_POLICY_DIR "examples/embed_policy"
#endif

/* Decides one request and prints the return code and the decision JSON. */
static int decide(const cordon_policy_set* set, const char* request) {
    char* decision = NULL;
    int rc = cordon_decide_json(set, request, strlen(request), "2024-11-18", NULL, &decision);
    printf("rc=%d %s\n", rc, decision ? decision : "(no decision)");
    cordon_free_string(decision);
    return rc;
}

int main(int argc, char** argv) {
    const char* dir = argc > 1 ? argv[1] : EMBED_POLICY_DIR;
    char* error = NULL;
    cordon_policy_set* set = cordon_load(dir, &error);
    if (!set) {
        fprintf(stderr, "%s", error ? error : "cordon_load failed\n");
        cordon_free_string(error);
        return 2;
    }
    printf("loaded %s (%s)\n", cordon_name(set), cordon_digest(set));

    /* A customer headquartered in China renting H100 capacity in a US region. */
    const char* request =
        "{\"id\": \"embed-c-1\","
        " \"customer\": {\"name\": \"Example AI Lab\", \"kind\": \"company\", \"country\": \"SG\","
        "  \"hq_country\": \"CN\", \"foreign\": true, \"identity_verified\": true},"
        " \"resource\": {\"chip\": \"H100-SXM\", \"count\": 64, \"region_country\": \"US\"},"
        " \"workload\": {\"kind\": \"training\"}}";
    int rc = decide(set, request);

    /* Bad input fails closed: return code 3 and a deny decision naming the field. */
    int bad = decide(set, "{\"id\": \"embed-c-2\", \"customer\": {\"hq_contry\": \"CN\"}}");

    cordon_free(set);
    return rc == CORDON_OK && bad == CORDON_BAD_INPUT ? 0 : 1;
}
