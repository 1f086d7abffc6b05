package io.deepstream.storage.sample.web;

import io.deepstream.storage.core.InvalidRecordException;
import io.deepstream.storage.store.BufferFullException;
import io.deepstream.storage.store.RecordWriteException;
import io.deepstream.storage.store.TransientRecordWriteException;
import io.deepstream.storage.store.VersionConflictException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error of the API as an RFC 9457 problem ({@code application/problem+json}): Spring MVC's own
 * (a missing body, a version that is not a number, an unknown path...) through
 * {@link ResponseEntityExceptionHandler}, and the store's:
 * <ul>
 * <li>{@link InvalidRecordException} (an {@link IllegalArgumentException}, as the controllers' own
 * checks throw): an invalid record name, table or value; nothing was written (400);</li>
 * <li>{@link BufferFullException}: PostgreSQL is slower than the writers; nothing was buffered
 * (503, retry later);</li>
 * <li>{@link TransientRecordWriteException}: the write was accepted but the database was unavailable
 * through every retry (503);</li>
 * <li>{@link RecordWriteException}: the write was accepted but the database refused it (500).</li>
 * </ul>
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ApiExceptionHandler.class);

	@ExceptionHandler
	ProblemDetail invalidInput(IllegalArgumentException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
		problem.setTitle("Invalid record name or value");
		return problem;
	}

	@ExceptionHandler
	ProblemDetail versionConflict(VersionConflictException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
		problem.setTitle("The record has another version");
		problem.setProperty("currentVersion", ex.getCurrent().version());
		problem.setProperty("currentValue", ex.getCurrent().value());
		return problem;
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> bufferFull(BufferFullException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
		problem.setTitle("Too many writes waiting");
		return ResponseEntity.of(problem).header(HttpHeaders.RETRY_AFTER, "1").build();
	}

	@ExceptionHandler
	ProblemDetail databaseUnavailable(TransientRecordWriteException ex) {
		logger.warn("A write was not committed, the database was unavailable: {}", ex.getMessage());
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
		problem.setTitle("The write was not committed");
		return problem;
	}

	@ExceptionHandler
	ProblemDetail writeFailed(RecordWriteException ex) {
		logger.warn("A write was not committed", ex);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, ex.getMessage());
		problem.setTitle("The write was not committed");
		return problem;
	}

}
