package io.deepstream.storage.sample.records;

import io.deepstream.storage.core.RecordName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * How {@code /records/{table}/{id}} becomes a record name: decoding, the default table, and the names
 * that are refused before they reach the store.
 */
class RecordAddressTests {

	@Test
	void tableAndIdMakeTheRecordName() {
		assertThat(RecordAddress.parse("cars/bmw", "default")).isEqualTo(new RecordAddress("cars", "bmw", "cars/bmw"));
	}

	@Test
	void anEncodedOrPlainSlashBelongsToTheId() {
		RecordAddress encoded = RecordAddress.parse("cars/a%2Fb%2Fc", "default");
		assertThat(encoded).isEqualTo(new RecordAddress("cars", "a/b/c", "cars/a/b/c"));
		assertThat(RecordAddress.parse("cars/a/b/c", "default")).isEqualTo(encoded);
		assertThat(RecordName.parse(encoded.recordName(), "default")).isEqualTo(new RecordName("cars", "a/b/c"));
	}

	@Test
	void theDefaultTableAddressesNamesWithoutSlash() {
		assertThat(RecordAddress.parse("default/plain", "default").recordName()).isEqualTo("plain");
		assertThat(RecordAddress.parse("misc/plain", "misc").recordName()).isEqualTo("plain");
		assertThat(RecordAddress.parse("default/plain", "misc").recordName()).isEqualTo("default/plain");
	}

	@Test
	void anIdWithSlashInTheDefaultTableKeepsItsTable() {
		RecordAddress address = RecordAddress.parse("default/a%2Fb", "default");
		assertThat(address.recordName()).isEqualTo("default/a/b");
		assertThat(RecordName.parse(address.recordName(), "default")).isEqualTo(new RecordName("default", "a/b"));
	}

	@Test
	void decodesUtf8AndLeavesPlusAlone() {
		assertThat(RecordAddress.parse("t/%E2%9C%93%20it%27s%3Aa+b%25", "default").id()).isEqualTo("\u2713 it's:a+b%");
		assertThat(RecordAddress.parse("%C3%BCber/x", "default").table()).isEqualTo("\u00fcber");
	}

	@ParameterizedTest
	@ValueSource(strings = { "a:b/x", "a%3Ab/x", "a%2Fb/x", "t/", "default/", "t/%00", "t/%zz", "t/%4", "t/%FF",
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/x", "%2F/x", "/x", "t" })
	void refusesInvalidNames(String rawPath) {
		assertThatIllegalArgumentException().isThrownBy(() -> RecordAddress.parse(rawPath, "default"));
	}

	@Test
	void aTableOfSixtyThreeBytesIsFine() {
		String table = "\u00e9".repeat(31) + "x";
		assertThat(RecordAddress.of(table, "id", "default").recordName()).isEqualTo(table + "/id");
	}

}
