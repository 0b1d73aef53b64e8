package org.conversationarchive.flows;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.conversationarchive.security.AuditEvent;
import org.conversationarchive.system.ConflictException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The flows of every org, each version a row: what other modules read flows by, and where
 * the API publishes them.
 */
@Component
public class Flows {

	private static final Comparator<Flow> BY_NAME = Comparator.comparing(Flow::name).thenComparing(Flow::id);

	private final JdbcTemplate jdbc;

	private final JsonMapper json;

	private final ApplicationEventPublisher events;

	Flows(JdbcTemplate jdbc, JsonMapper json, ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.json = json;
		this.events = events;
	}

	/**
	 * A flow of an org.
	 * @param org the org
	 * @param id the flow's id
	 * @param version its version, or {@code null} for the latest
	 * @return that version, or empty if the org has no such flow or version
	 */
	public Optional<Flow> find(String org, String id, @Nullable Integer version) {
		if (version == null) {
			return this.jdbc
				.query("select * from archive_flow_version where org = ? and flow_id = ? "
						+ "order by version desc fetch first 1 rows only", (row, number) -> flow(row), org, id)
				.stream()
				.findFirst();
		}
		return this.jdbc
			.query("select * from archive_flow_version where org = ? and flow_id = ? and version = ?",
					(row, number) -> flow(row), org, id, version)
			.stream()
			.findFirst();
	}

	/**
	 * The latest version of each of an org's flows.
	 * @param org the org
	 * @return them, by name, then id
	 */
	public List<Flow> latest(String org) {
		return this.jdbc
			.query("select * from archive_flow_version f where org = ? and version = (select max(version) "
					+ "from archive_flow_version v where v.org = f.org and v.flow_id = f.flow_id)",
					(row, number) -> flow(row), org)
			.stream()
			.sorted(BY_NAME)
			.toList();
	}

	/**
	 * The ids of an org's published flows, without reading their graphs.
	 * @param org the org
	 * @return the ids
	 */
	public Set<String> ids(String org) {
		return Set.copyOf(this.jdbc.queryForList("select distinct flow_id from archive_flow_version where org = ?",
				String.class, org));
	}

	/**
	 * The versions of each of an org's flows.
	 * @param org the org
	 * @return each flow's versions, in ascending order, by flow id
	 */
	Map<String, List<Integer>> versions(String org) {
		Map<String, List<Integer>> versions = new LinkedHashMap<>();
		this.jdbc.query("select flow_id, version from archive_flow_version where org = ? order by flow_id, version",
				(row) -> {
					versions.computeIfAbsent(row.getString("flow_id"), (id) -> new ArrayList<>())
						.add(row.getInt("version"));
				}, org);
		return versions;
	}

	/**
	 * The versions of one flow.
	 * @param org the org
	 * @param id the flow's id
	 * @return its versions, in ascending order
	 */
	public List<Integer> versions(String org, String id) {
		return this.jdbc.queryForList(
				"select version from archive_flow_version where org = ? and flow_id = ? order by version",
				Integer.class, org, id);
	}

	/**
	 * Publishes a version on an org's behalf, checked as the API checks it: for what the
	 * service itself holds flows of (the demo's). Sending the same version again changes
	 * nothing.
	 * @param org the org
	 * @param id the flow's id
	 * @param name its name
	 * @param version its version, from 1
	 * @param nodes its nodes
	 * @param edges its edges
	 * @return the version stored
	 * @throws org.conversationarchive.system.InvalidInputException if the graph is not
	 * one the API takes
	 * @throws ConflictException if the version was published with other content
	 */
	public Flow publish(String org, String id, String name, int version, List<Flow.Node> nodes, List<Flow.Edge> edges) {
		List<FlowRequest.@Nullable NodeRequest> nodeRequests = new ArrayList<>(nodes.size());
		nodes.forEach((node) -> nodeRequests.add(new FlowRequest.NodeRequest(node.id(), node.label(), node.kind())));
		List<FlowRequest.@Nullable EdgeRequest> edgeRequests = new ArrayList<>(edges.size());
		edges.forEach((edge) -> edgeRequests.add(new FlowRequest.EdgeRequest(edge.from(), edge.to(), edge.label())));
		return publish(org, new FlowRequest(name, version, nodeRequests, edgeRequests).validated(id)).flow();
	}

	/**
	 * Publishes a version. Versions are immutable: the same one sent again is answered as
	 * it was stored, a different one under the same number is refused. Of two instances
	 * publishing one version at once, the primary key lets one insert win and the other
	 * compares with it.
	 * @param org the org
	 * @param request the version
	 * @return the version stored, and whether this request stored it
	 * @throws ConflictException if the version was published with other content
	 */
	Published publish(String org, FlowRequest.Valid request) {
		Optional<Flow> existing = find(org, request.id(), request.version());
		if (existing.isPresent()) {
			return same(existing.get(), request);
		}
		Flow flow = new Flow(request.id(), request.name(), request.version(), request.nodes(), request.edges(),
				Instant.now().truncatedTo(ChronoUnit.MILLIS));
		try {
			this.jdbc.update(
					"insert into archive_flow_version (org, flow_id, version, name, graph_json, published_at) "
							+ "values (?, ?, ?, ?, ?, ?)",
					org, flow.id(), flow.version(), flow.name(),
					this.json.writeValueAsString(new Graph(flow.nodes(), flow.edges())),
					Timestamp.from(flow.publishedAt()));
		}
		catch (DuplicateKeyException ex) {
			return same(find(org, request.id(), request.version()).orElseThrow(() -> ex), request);
		}
		this.events.publishEvent(new AuditEvent(org, "flow.published", flow.id(), "version " + flow.version()));
		return new Published(flow, true);
	}

	private static Published same(Flow stored, FlowRequest.Valid request) {
		if (stored.name().equals(request.name()) && stored.nodes().equals(request.nodes())
				&& stored.edges().equals(request.edges())) {
			return new Published(stored, false);
		}
		throw new ConflictException("version " + stored.version() + " of flow '" + stored.id()
				+ "' is already published with other content; versions never change: publish it under a new "
				+ "version number");
	}

	private Flow flow(ResultSet row) throws SQLException {
		Graph graph = this.json.readValue(row.getString("graph_json"), Graph.class);
		return new Flow(row.getString("flow_id"), row.getString("name"), row.getInt("version"), graph.nodes(),
				graph.edges(), row.getTimestamp("published_at").toInstant());
	}

	/**
	 * A version as stored, and whether this request stored it.
	 *
	 * @param flow the version
	 * @param created whether it is new
	 */
	record Published(Flow flow, boolean created) {
	}

	/**
	 * A version's graph, as the {@code graph_json} column holds it.
	 */
	record Graph(List<Flow.Node> nodes, List<Flow.Edge> edges) {
	}

}
