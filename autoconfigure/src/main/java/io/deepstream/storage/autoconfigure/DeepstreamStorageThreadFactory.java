package io.deepstream.storage.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.ThreadFactory;

import io.deepstream.storage.listen.NotificationListener;
import io.deepstream.storage.store.PostgresRecordStore;
import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Qualifier for the {@link ThreadFactory} that the auto-configured {@link PostgresRecordStore} (its
 * flusher and flush workers) and {@link NotificationListener} make their threads with, for thread
 * names, a thread group or a priority of the application's. Without such a bean they make their own,
 * {@code deepstream-flusher-<n>}, {@code deepstream-flush-<n>-<k>} and {@code deepstream-listener-<n>};
 * a {@code ThreadFactory} bean without this qualifier is not used. The store's own threads are not
 * daemons, so that the JVM does not exit while accepted writes wait for their commit: a factory that
 * makes daemons gives that up.
 */
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier
public @interface DeepstreamStorageThreadFactory {

}
