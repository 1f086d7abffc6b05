package io.deepstream.storage.sample.records;

import tools.jackson.databind.JsonNode;

/**
 * One row of a table listing.
 *
 * @param id the record's id in its table
 * @param version the deepstream version
 * @param value the JSON value (a text that is not JSON, written by hand, as a JSON string)
 */
public record RecordSummary(String id, int version, JsonNode value) {

}
