package org.conversationarchive.notifications;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Sends the outbox. Every instance runs one: it looks for due deliveries when told of new
 * ones ({@link #wake}), when a retry falls due and at least every
 * {@code archive.webhooks.poll}, claims each in the database (so exactly one instance
 * sends each attempt) and sends it on a virtual thread of its own. A failed attempt or an
 * answer other than 2xx is tried again after a backoff that doubles each time, until
 * {@code archive.webhooks.max-attempts}; then the delivery has failed. An instance that
 * dies mid-attempt leaves a claim that runs out, and another sends the delivery again:
 * deliveries are at least once, and receivers tell repeats by {@code X-Archive-Delivery}.
 */
@Component
class WebhookDispatcher implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(WebhookDispatcher.class);

	/** Due deliveries read at a time. */
	private static final int BATCH = 100;

	private final WebhookDeliveries deliveries;

	private final WebhookEndpoints endpoints;

	private final WebhookSender sender;

	private final WebhookSettings settings;

	private final Semaphore permits;

	private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

	private final Semaphore wakeups = new Semaphore(0);

	private volatile boolean running;

	private volatile Thread loop;

	private volatile ExecutorService attempts;

	WebhookDispatcher(WebhookDeliveries deliveries, WebhookEndpoints endpoints, WebhookSender sender,
			WebhookSettings settings) {
		this.deliveries = deliveries;
		this.endpoints = endpoints;
		this.sender = sender;
		this.settings = settings;
		this.permits = new Semaphore(Math.max(1, settings.concurrency()));
	}

	/**
	 * Has the dispatcher look for due deliveries now, or once the current transaction
	 * commits (before, they are not there to be seen).
	 */
	void wake() {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					signal();
				}
			});
		}
		else {
			signal();
		}
	}

	private void signal() {
		if (this.wakeups.availablePermits() == 0) {
			this.wakeups.release();
		}
	}

	@Override
	public void start() {
		this.running = true;
		this.attempts = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("webhook-", 0).factory());
		this.loop = Thread.ofVirtual().name("webhook-dispatcher").start(this::run);
	}

	@Override
	public void stop() {
		this.running = false;
		signal();
		ExecutorService attempts = this.attempts;
		if (attempts != null) {
			attempts.shutdown();
			try {
				// Attempts under way end within their deadline; one cut short is sent
				// again by another instance once its claim runs out.
				attempts.awaitTermination(this.settings.connectTimeout().plus(this.settings.readTimeout()).toMillis(),
						TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void run() {
		while (this.running) {
			Duration wait = this.settings.poll();
			try {
				wait = dispatchDue();
			}
			catch (RuntimeException ex) {
				logger.warn("Could not look for due webhook deliveries; looking again in {}: {}", wait, ex.toString());
			}
			try {
				if (this.wakeups.tryAcquire(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS)) {
					this.wakeups.drainPermits();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/**
	 * Claims and starts what is due, as far as this instance has room.
	 * @return how long to wait before looking again
	 */
	private Duration dispatchDue() {
		Instant now = Instant.now();
		Set<String> busy = new HashSet<>();
		this.inFlight.forEach((webhook, count) -> {
			if (count.get() >= this.settings.perEndpoint()) {
				busy.add(webhook);
			}
		});
		boolean full = false;
		List<WebhookDeliveries.Due> due = this.deliveries.due(now, busy, BATCH);
		for (WebhookDeliveries.Due delivery : due) {
			if (!this.running) {
				break;
			}
			AtomicInteger sending = this.inFlight.computeIfAbsent(delivery.webhookId(), (key) -> new AtomicInteger());
			if (sending.get() >= this.settings.perEndpoint()) {
				full = true;
				continue;
			}
			if (!this.permits.tryAcquire()) {
				full = true;
				break;
			}
			Optional<WebhookDeliveries.Claimed> claimed = this.deliveries.claim(delivery.id(), now,
					now.plus(this.settings.lease()));
			if (claimed.isEmpty()) {
				this.permits.release();
				continue;
			}
			sending.incrementAndGet();
			this.attempts.execute(() -> {
				try {
					attempt(claimed.get());
				}
				finally {
					sending.decrementAndGet();
					this.permits.release();
					signal();
				}
			});
		}
		if (full) {
			// An attempt that ends wakes the loop.
			return this.settings.poll();
		}
		if (due.size() == BATCH) {
			// More may be due.
			return Duration.ZERO;
		}
		Optional<Instant> next = this.deliveries.nextDue();
		Duration wait = this.settings.poll();
		if (next.isPresent()) {
			Duration until = Duration.between(Instant.now(), next.get());
			if (until.compareTo(wait) < 0) {
				wait = until.isNegative() ? Duration.ofMillis(10) : until;
			}
		}
		return wait;
	}

	/**
	 * Sends one attempt of a claimed delivery and records what came of it.
	 * @param delivery the delivery
	 * @return the attempt, or {@code null} when it was cancelled unsent
	 */
	WebhookDeliveries.@org.jspecify.annotations.Nullable Attempt attempt(WebhookDeliveries.Claimed delivery) {
		try {
			Optional<WebhookEndpoints.Endpoint> endpoint = this.endpoints.find(delivery.org(), delivery.webhookId());
			Optional<WebhookEndpoints.Secrets> secrets = this.endpoints.secrets(delivery.org(), delivery.webhookId());
			boolean test = delivery.maxAttempts() == 1 && delivery.event().equals(Webhooks.TEST);
			if (endpoint.isEmpty() || secrets.isEmpty() || (!endpoint.get().enabled() && !test)) {
				this.deliveries.cancel(delivery);
				return null;
			}
			WebhookDeliveries.Attempt attempt = this.sender.send(endpoint.get().url(), secrets.get().all(),
					delivery.id(), delivery.event(), delivery.attempts(), delivery.body());
			this.deliveries.finish(delivery, attempt,
					Instant.now().plus(this.settings.backoffAfter(delivery.attempts())));
			if (!attempt.succeeded()) {
				logger.debug("Webhook delivery {} to {} failed (attempt {} of {}): {}", delivery.id(),
						delivery.webhookId(), delivery.attempts(), delivery.maxAttempts(), attempt.error());
			}
			return attempt;
		}
		catch (RuntimeException ex) {
			// The claim runs out and the delivery is tried again.
			logger.warn("Webhook delivery {} could not be sent or recorded: {}", delivery.id(), ex.toString());
			return null;
		}
	}

	/**
	 * Drops deliveries done longer ago than {@code archive.webhooks.retention}. Every
	 * instance may: deleting what another deleted already costs nothing.
	 */
	@Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT1H")
	void dropOld() {
		int dropped = this.deliveries.deleteDoneBefore(Instant.now().minus(this.settings.retention()));
		if (dropped > 0) {
			logger.info("Dropped {} webhook deliveries older than {}", dropped, this.settings.retention());
		}
	}

}
