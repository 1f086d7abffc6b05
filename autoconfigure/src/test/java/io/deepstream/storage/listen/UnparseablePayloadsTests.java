package io.deepstream.storage.listen;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UnparseablePayloadsTests {

	@Test
	void warnsOncePerProblemAndCountsEveryPayload() {
		UnparseablePayloads payloads = new UnparseablePayloads();
		assertThat(payloads.report("ds", new NotificationParser.Rejected("hello", PayloadProblem.UNKNOWN_KIND))).isTrue();
		assertThat(payloads.report("ds", new NotificationParser.Rejected("bye", PayloadProblem.UNKNOWN_KIND))).isFalse();
		assertThat(payloads.report("ds", new NotificationParser.Rejected("INSERT:t:", PayloadProblem.EMPTY_ID))).isTrue();
		assertThat(payloads.report("other", new NotificationParser.Rejected("INSERT:u:", PayloadProblem.EMPTY_ID)))
			.isFalse();
		assertThat(payloads.count()).isEqualTo(4);
	}

}
