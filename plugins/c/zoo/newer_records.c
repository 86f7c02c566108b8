/*
 * newer_records.c: a healthy plugin whose records carry values a newer minor of the unified
 * model might add: an institution type ("MOBILE_UNIT") and a sector ("COOPERATIVE") the host
 * does not know, and a new optional field ("accreditation"). A second record holds a value
 * that is not an enum name at all (digits, as if a NIK had landed in the field), which the host
 * must not repeat. The host must serve both records, each unknown value as the vocabulary's
 * fallback (OTHER, UNKNOWN) with an ENUM_UNKNOWN warning on that record: never a failed
 * response, never a breaker count.
 */
#include "zoo_common.h"

#define NEWER_RECORDS                                                                       \
    "{\"kind\":\"query\",\"body\":{\"records\":{\"collection\":\"trainingCenters\","        \
    "\"records\":[{\"sourceId\":\"CZOO-TC-01\",\"warnings\":[],"                            \
    "\"name\":\"Mobile Training Unit Zoo\",\"alternateNames\":[],"                          \
    "\"institutionType\":\"MOBILE_UNIT\",\"sector\":\"COOPERATIVE\","                       \
    "\"accreditation\":\"A\",\"supervisorId\":null,\"address\":null,\"foundedYear\":null,"  \
    "\"areaHectares\":null,\"facilities\":[],\"fields\":[],\"licenses\":[],"                \
    "\"yearsOfExperience\":null,\"contact\":null,\"active\":true},"                         \
    "{\"sourceId\":\"CZOO-TC-02\",\"warnings\":[],"                                         \
    "\"name\":\"BLK Komunitas Zoo\",\"alternateNames\":[],\"institutionType\":\"BLKK\","   \
    "\"sector\":\"3201234567890123\",\"supervisorId\":null,\"address\":null,"              \
    "\"foundedYear\":null,\"areaHectares\":null,\"facilities\":[],\"fields\":[],"           \
    "\"licenses\":[],\"yearsOfExperience\":null,\"contact\":null,\"active\":true}]},"       \
    "\"totalCount\":2}}"

static void newer_call(void *instance_ptr, uint64_t call_id, const uint8_t *request,
                       size_t request_len, uint64_t timeout_ms) {
    (void)timeout_ms;
    zoo_instance *instance = instance_ptr;
    zoo_count_call(instance);
    simpul_buffer answer = zoo_is_status_request(request, request_len)
                               ? zoo_text(ZOO_STATUS_RESPONSE)
                               : zoo_text(NEWER_RECORDS);
    instance->host->complete(instance->host->context, call_id, SIMPUL_STATUS_OK, answer);
}

ZOO_FUNCTIONS(functions, zoo_create, newer_call, zoo_cancel, zoo_destroy);
ZOO_PLUGIN("newer_records", functions)
