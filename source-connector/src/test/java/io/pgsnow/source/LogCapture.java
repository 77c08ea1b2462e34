package io.pgsnow.source;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.impl.Log4jContextFactory;

/**
 * What a logger of the connector logs in this JVM while open. The plugin's classes log through the
 * worker's log4j, possibly into a logger context of their own class loader, so the appender is
 * added in every context.
 */
final class LogCapture implements AutoCloseable {
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final List<Logger> loggers = new CopyOnWriteArrayList<>();
  private final AbstractAppender appender;

  LogCapture(String loggerName) {
    appender =
        new AbstractAppender("capture-" + loggerName, null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
          }
        };
    appender.start();
    Log4jContextFactory factory = (Log4jContextFactory) LogManager.getFactory();
    for (LoggerContext context : factory.getSelector().getLoggerContexts()) {
      Logger logger = context.getLogger(loggerName);
      logger.addAppender(appender);
      loggers.add(logger);
    }
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    for (Logger logger : loggers) {
      logger.removeAppender(appender);
    }
    appender.stop();
  }
}
