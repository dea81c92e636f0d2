// The dependency graph of one service as inline SVG: what it depends on (upstream) to the left
// by distance, the service in the middle, what depends on it (downstream, the blast radius) to
// the right. Arrows point from a service to what it depends on. Cycles through the service are
// drawn in the warning colour. Nodes link to their service pages.

import { useLayoutEffect, useRef } from "preact/hooks";
import { isPlainClick, navigate } from "../router";
import { pathOf } from "../data";
import type { Dependencies, DepNode } from "../types";

const COL_W = 200;
const NODE_W = 164;
const NODE_H = 30;
const GAP_Y = 10;
const HEAD_H = 34;
const PAD = 12;
const MAX_PER_COL = 24;

interface Placed {
  id: string;
  name: string;
  x: number;
  y: number;
  kind: "center" | "up" | "down" | "more";
  depth: number;
}

interface Props {
  deps: Dependencies;
  // What each service depends on directly (from the service list); without it, each node is
  // linked to the column next to it only.
  dependsOn?: Map<string, string[]>;
  // Tier of each service: within a column, the more critical come first.
  tiers?: Map<string, number | undefined>;
}

// A cycle as its distinct members in order ([a, b, c] for a → b → c → a); the API may repeat the
// first member at the end.
export function openCycle(c: string[]): string[] {
  return c.length > 1 && c[0] === c[c.length - 1] ? c.slice(0, -1) : c;
}

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + "…" : s;
}

function columnLabel(side: "up" | "down", depth: number): string {
  if (side === "up") return depth === 1 ? "Depends on" : `Upstream, ${depth} hops`;
  return depth === 1 ? "Used by" : `Blast radius, ${depth} hops`;
}

// Groups nodes by depth, each group ordered so that nodes sit near their neighbours in the
// column before (one barycentre pass), which keeps edges short and crossings few.
function columns(
  nodes: DepNode[],
  neighbours: (name: string) => string[],
  centerY: number,
  yOf: Map<string, number>,
  tierOf: (name: string) => number,
): string[][] {
  const byDepth = new Map<number, string[]>();
  for (const n of nodes) {
    const list = byDepth.get(n.depth) ?? [];
    list.push(n.name);
    byDepth.set(n.depth, list);
  }
  const maxDepth = Math.max(0, ...byDepth.keys());
  const out: string[][] = [];
  for (let d = 1; d <= maxDepth; d++) {
    const names = (byDepth.get(d) ?? []).slice().sort();
    const weight = (name: string) => {
      const ys = neighbours(name)
        .map((m) => yOf.get(m))
        .filter((y): y is number => y !== undefined);
      return ys.length ? ys.reduce((a, b) => a + b, 0) / ys.length : centerY;
    };
    const w = new Map(names.map((n) => [n, weight(n)]));
    names.sort((a, b) => w.get(a)! - w.get(b)! || tierOf(a) - tierOf(b) || a.localeCompare(b));
    out.push(names);
    const shown = names.slice(0, MAX_PER_COL);
    shown.forEach((n, i) => yOf.set(n, i - (shown.length - 1) / 2));
  }
  return out;
}

export function DependencyGraph({ deps, dependsOn, tiers }: Props) {
  const tierOf = (name: string) => tiers?.get(name) ?? 5;
  const center = deps.service;
  const upNames = new Set(deps.upstream.map((n) => n.name));
  const downNames = new Set(deps.downstream.map((n) => n.name));
  const direct = (name: string) => dependsOn?.get(name) ?? [];
  // Who depends on each service directly.
  const dependants = new Map<string, string[]>();
  if (dependsOn) {
    for (const [n, targets] of dependsOn) {
      for (const m of targets) {
        const list = dependants.get(m) ?? [];
        list.push(n);
        dependants.set(m, list);
      }
    }
  }

  const yUp = new Map<string, number>([[center, 0]]);
  const upCols = columns(deps.upstream, (n) => (dependsOn ? dependants.get(n) ?? [] : [center]), 0, yUp, tierOf);
  const yDown = new Map<string, number>([[center, 0]]);
  const downCols = columns(deps.downstream, (n) => (dependsOn ? direct(n) : [center]), 0, yDown, tierOf);

  const rows = Math.max(1, ...upCols.map((c) => Math.min(c.length, MAX_PER_COL + 1)), ...downCols.map((c) => Math.min(c.length, MAX_PER_COL + 1)));
  const bodyH = rows * (NODE_H + GAP_Y) - GAP_Y;
  const height = HEAD_H + bodyH + PAD * 2;
  const nCols = upCols.length + 1 + downCols.length;
  const width = nCols * COL_W + PAD * 2 - (COL_W - NODE_W);

  const placed = new Map<string, Placed>();
  const all: Placed[] = [];
  const colX = (index: number) => PAD + index * COL_W;
  const place = (id: string, name: string, kind: Placed["kind"], col: number, row: number, count: number, depth: number) => {
    const colH = count * (NODE_H + GAP_Y) - GAP_Y;
    const y = HEAD_H + PAD + (bodyH - colH) / 2 + row * (NODE_H + GAP_Y);
    const p: Placed = { id, name, kind, x: colX(col), y, depth };
    all.push(p);
    if (kind !== "more") placed.set(id, p);
  };
  const centerCol = upCols.length;
  place("center", center, "center", centerCol, 0, 1, 0);
  const layout = (cols: string[][], side: "up" | "down") =>
    cols.forEach((names, i) => {
      const col = side === "up" ? centerCol - 1 - i : centerCol + 1 + i;
      const shown = names.slice(0, MAX_PER_COL);
      const count = shown.length + (names.length > MAX_PER_COL ? 1 : 0);
      shown.forEach((n, row) => place(`${side}:${n}`, n, side, col, row, count, i + 1));
      if (names.length > MAX_PER_COL) place(`${side}:more:${i}`, `+${names.length - MAX_PER_COL} more`, "more", col, shown.length, count, i + 1);
    });
  layout(upCols, "up");
  layout(downCols, "down");

  // Edges in cycles through the service.
  const cycleNodes = new Set<string>();
  const cycleEdges = new Set<string>();
  for (const c of deps.cycles.map(openCycle)) {
    c.forEach((n, i) => {
      cycleNodes.add(n);
      cycleEdges.add(`${n}>${c[(i + 1) % c.length]}`);
    });
  }

  const nodeId = (name: string, side: "up" | "down") => (name === center ? "center" : `${side}:${name}`);
  const edges: { from: Placed; to: Placed; cycle: boolean }[] = [];
  const seen = new Set<string>();
  const addEdge = (fromId: string, toId: string, a: string, b: string) => {
    const from = placed.get(fromId);
    const to = placed.get(toId);
    const key = `${fromId}>${toId}`;
    if (!from || !to || seen.has(key) || from === to) return;
    seen.add(key);
    edges.push({ from, to, cycle: cycleEdges.has(`${a}>${b}`) });
  };
  if (dependsOn) {
    for (const a of [center, ...upNames]) for (const b of direct(a)) if (upNames.has(b)) addEdge(nodeId(a, "up"), `up:${b}`, a, b);
    for (const a of downNames) for (const b of direct(a)) if (b === center || downNames.has(b)) addEdge(`down:${a}`, nodeId(b, "down"), a, b);
  } else {
    for (const n of deps.upstream) if (n.depth === 1) addEdge("center", `up:${n.name}`, center, n.name);
    for (const n of deps.downstream) if (n.depth === 1) addEdge(`down:${n.name}`, "center", n.name, center);
  }

  const path = (from: Placed, to: Placed) => {
    const sy = from.y + NODE_H / 2;
    const ty = to.y + NODE_H / 2;
    if (to.x < from.x) {
      const sx = from.x;
      const tx = to.x + NODE_W;
      const dx = Math.max(30, (sx - tx) / 2);
      return `M${sx},${sy} C${sx - dx},${sy} ${tx + dx},${ty} ${tx},${ty}`;
    }
    // Same column or backwards (a cycle): loop out to the right and come back.
    const sx = from.x + NODE_W;
    const tx = to.x + NODE_W;
    const bulge = Math.max(sx, tx) + 40;
    return `M${sx},${sy} C${bulge},${sy} ${bulge},${ty} ${tx + 2},${ty}`;
  };

  const heads: { x: number; label: string }[] = [];
  upCols.forEach((_, i) => heads.push({ x: colX(centerCol - 1 - i), label: columnLabel("up", i + 1) }));
  heads.push({ x: colX(centerCol), label: "This service" });
  downCols.forEach((_, i) => heads.push({ x: colX(centerCol + 1 + i), label: columnLabel("down", i + 1) }));

  const onNodeClick = (e: MouseEvent, name: string) => {
    if (!isPlainClick(e)) return;
    e.preventDefault();
    navigate(pathOf("Service", name));
  };

  // On a narrow screen the graph scrolls sideways: start with this service in view.
  const wrap = useRef<HTMLDivElement>(null);
  const centerX = colX(centerCol) + NODE_W / 2;
  useLayoutEffect(() => {
    const el = wrap.current;
    if (el && el.scrollWidth > el.clientWidth) el.scrollLeft = centerX - el.clientWidth / 2;
  }, [center, centerX]);

  return (
    <div class="graph-wrap" data-testid="dependency-graph" ref={wrap}>
      <svg
        role="img"
        aria-label={`Dependency graph of ${center}`}
        class="graph"
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        xmlns="http://www.w3.org/2000/svg"
      >
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" class="arrow" />
          </marker>
          <marker id="arrow-cycle" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" class="arrow cycle" />
          </marker>
        </defs>
        {heads.map((h) => (
          <text class="col-head" x={h.x + NODE_W / 2} y={PAD + 12} text-anchor="middle" key={h.label}>
            {h.label}
          </text>
        ))}
        <g class="edges">
          {edges.map((e) => (
            <path
              key={`${e.from.id}>${e.to.id}`}
              d={path(e.from, e.to)}
              class={e.cycle ? "edge cycle" : "edge"}
              marker-end={e.cycle ? "url(#arrow-cycle)" : "url(#arrow)"}
            />
          ))}
        </g>
        <g class="nodes">
          {all.map((n) => {
            const cls = `node node-${n.kind}${cycleNodes.has(n.name) && n.kind !== "more" ? " in-cycle" : ""}`;
            const body = (
              <>
                <rect x={n.x} y={n.y} width={NODE_W} height={NODE_H} rx={6} />
                <text x={n.x + NODE_W / 2} y={n.y + NODE_H / 2} text-anchor="middle" dominant-baseline="central">
                  {truncate(n.name, 22)}
                </text>
                <title>{n.kind === "center" || n.kind === "more" ? n.name : `${n.name} (${n.kind === "up" ? "upstream" : "downstream"}, ${n.depth} ${n.depth === 1 ? "hop" : "hops"})`}</title>
              </>
            );
            if (n.kind === "center" || n.kind === "more") {
              return (
                <g class={cls} key={n.id}>
                  {body}
                </g>
              );
            }
            return (
              <a class={cls} key={n.id} href={pathOf("Service", n.name)} tabIndex={-1} onClick={(e) => onNodeClick(e as unknown as MouseEvent, n.name)} data-node={n.name}>
                {body}
              </a>
            );
          })}
        </g>
      </svg>
    </div>
  );
}
