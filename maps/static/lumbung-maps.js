/* Lumbung Siaga maps: draws the layers maps/*.py describe as compact rows.
 *
 * Served by the app (no CDN) and loaded after Leaflet and Leaflet.markercluster. Every text
 * from a row reaches the page through textContent or a text node, never innerHTML, so a posko
 * named "<script>" stays a name. Colours are classes of lumbung-maps.css, never style
 * attributes (the page's CSP allows none). The row layouts are documented in maps/*.py.
 */
(function (global) {
  "use strict";

  var numberFormats = {};

  function number(ctx, value, decimals) {
    if (value === null || value === undefined) { return "—"; }
    var key = ctx.locale + "/" + (decimals || 0);
    if (!numberFormats[key]) {
      try {
        numberFormats[key] = new Intl.NumberFormat(ctx.locale, {maximumFractionDigits: decimals || 0});
      } catch (e) {
        numberFormats[key] = new Intl.NumberFormat("en", {maximumFractionDigits: decimals || 0});
      }
    }
    return numberFormats[key].format(value);
  }

  function day(ctx, iso) {
    if (!iso) { return "—"; }
    var parts = iso.split("-");
    var date = new Date(Date.UTC(+parts[0], +parts[1] - 1, +parts[2]));
    try {
      return date.toLocaleDateString(ctx.locale, {day: "numeric", month: "short", year: "numeric", timeZone: "UTC"});
    } catch (e) { return iso; }
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  /* The popup's title: the name, a link to its page when there is one. */
  function title(ctx, name, suffix) {
    var heading = el("div", "lm-popup-title");
    if (suffix !== null && suffix !== undefined) {
      var link = el("a", null, name);
      link.href = ctx.link + suffix;
      heading.appendChild(link);
    } else {
      heading.textContent = name;
    }
    return heading;
  }

  function facts(rows) {
    var list = el("dl", "lm-facts");
    rows.forEach(function (row) {
      if (row === null) { return; }
      list.appendChild(el("dt", null, row[0]));
      list.appendChild(el("dd", row[2] || null, row[1]));
    });
    return list;
  }

  function popup(children) {
    var box = el("div", "lm-popup");
    children.forEach(function (child) { if (child) { box.appendChild(child); } });
    return box;
  }

  function bullets(className, lines) {
    if (!lines.length) { return null; }
    var list = el("ul", className);
    lines.forEach(function (line) { list.appendChild(el("li", null, line)); });
    return list;
  }

  function divIcon(className, size) {
    return L.divIcon({className: className, iconSize: [size, size], html: ""});
  }

  /* An encoded polyline (maps/codec.py) as the integers it holds: steps, not yet added up. */
  function unpolyline(text) {
    var values = [], shift = 0, result = 0;
    for (var i = 0; i < text.length; i++) {
      var chunk = text.charCodeAt(i) - 63;
      result |= (chunk & 0x1f) << shift;
      shift += 5;
      if (chunk < 0x20) {
        values.push(result & 1 ? ~(result >> 1) : result >> 1);
        shift = result = 0;
      }
    }
    return values;
  }

  /* Pairs of 1e-5 degree steps (maps/codec.py steps) as pairs of degrees, in their order. */
  function pairs(text) {
    var values = unpolyline(text), out = [], a = 0, b = 0;
    for (var n = 0; n < values.length; n += 2) {
      a += values[n]; b += values[n + 1];
      out.push([a / 100000, b / 100000]);
    }
    return out;
  }

  /* posko data: {at: polyline of [lat, lon], rows: [[kind * 2 + closed, name, desa, link,
   * persons, volunteers, equipment, groups[], needs[], cover], ...]}; fields at their default
   * (0, [], null) are left off the end (maps/codec.py POSKO). */
  function poskoPopup(ctx, row, link) {
    var t = ctx.text;
    var cover = row[9] === undefined ? null : row[9];
    var groups = [];
    (row[7] || []).forEach(function (count, i) {
      if (count) { groups.push(ctx.groups[i] + ": " + number(ctx, count)); }
    });
    var needs = (row[8] || []).map(function (i) { return ctx.needs[i]; });
    return popup([
      title(ctx, row[1], link),
      el("div", "lm-popup-sub", ctx.kinds[row[0] >> 1][1] + " · " + ctx.desa[row[2]] +
         (row[0] & 1 ? " · " + t.closed : "")),
      facts([
        [t.persons, number(ctx, row[4] || 0)],
        [t.volunteers, number(ctx, row[5] || 0)],
        [t.equipment, number(ctx, row[6] || 0)],
        [t.cover, cover === null ? t.noNeeds : number(ctx, cover, 1) + " " + t.days,
         cover !== null && cover < ctx.coverAlert ? "lm-short" : null]
      ]),
      groups.length ? el("div", "lm-popup-heading", t.groups) : null,
      bullets("lm-groups", groups),
      needs.length ? el("div", "lm-popup-heading", t.unmet) : null,
      bullets("lm-needs", needs)
    ]);
  }

  function posko(data, ctx, cluster) {
    var at = pairs(data.at), total = 0, markers = [];
    data.rows.forEach(function (row, i) {
      var link = row[3];
      if (ctx.linkStep) { total += link; link = String(total); }
      var className = "lm-marker lm-kind-" + ctx.kinds[row[0] >> 1][0] +
        (row[0] & 1 ? " lm-closed" : "") + (row[8] && row[8].length ? " lm-unmet" : "");
      var marker = L.marker(at[i], {icon: divIcon(className, 18), title: row[1], alt: row[1]});
      marker.bindPopup(function () { return poskoPopup(ctx, row, link); });
      markers.push(marker);
    });
    cluster.addLayers(markers);
    return cluster;
  }

  /* warehouse row: [lat, lon, status, name, kind label, items low, lots expiring,
   * lots expired, link] */
  function warehousePopup(ctx, row) {
    var t = ctx.text;
    return popup([
      title(ctx, row[3], row[8]),
      el("div", "lm-popup-sub", row[4]),
      facts([
        [t.status, ctx.statuses[row[2]][1], "lm-status-text-" + ctx.statuses[row[2]][0]],
        [t.itemsLow, number(ctx, row[5]), row[5] ? "lm-short" : null],
        [t.lotsExpiring, number(ctx, row[6]), row[6] ? "lm-short" : null],
        [t.lotsExpired, number(ctx, row[7]), row[7] ? "lm-short" : null]
      ])
    ]);
  }

  function warehouses(data, ctx) {
    var group = L.featureGroup();
    data.forEach(function (row) {
      var className = "lm-marker lm-wh lm-status-" + ctx.statuses[row[2]][0] +
        (row[6] || row[7] ? " lm-alert" : "");
      var marker = L.marker([row[0], row[1]], {icon: divIcon(className, 20), title: row[3], alt: row[3]});
      marker.bindPopup(function () { return warehousePopup(ctx, row); });
      group.addLayer(marker);
    });
    return group;
  }

  /* transfer row: [from lat, from lon, to lat, to lon, number, from, to, sent on, lines, link] */
  function transfers(data, ctx) {
    var t = ctx.text;
    var group = L.featureGroup();
    data.forEach(function (row) {
      var content = function () {
        return popup([
          title(ctx, row[4], row[9]),
          el("div", "lm-popup-sub", row[5] + " → " + row[6]),
          facts([[t.sentOn, day(ctx, row[7])], [t.lines, number(ctx, row[8])]])
        ]);
      };
      L.polyline([[row[0], row[1]], [row[2], row[3]]], {className: "lm-transfer"})
        .bindPopup(content).addTo(group);
      L.circleMarker([row[2], row[3]], {radius: 5, className: "lm-transfer-end"})
        .bindPopup(content).addTo(group);
    });
    return group;
  }

  /* deployment row: [lat, lon, radius, name, volunteers, equipment, skills[], link] */
  function deployments(data, ctx) {
    var t = ctx.text;
    var group = L.featureGroup();
    data.forEach(function (row) {
      var skills = [];
      (row[6] || []).forEach(function (count, i) {
        if (count) { skills.push(ctx.skills[i] + ": " + number(ctx, count)); }
      });
      L.circleMarker([row[0], row[1]], {radius: row[2], className: "lm-deploy"})
        .bindPopup(function () {
          return popup([
            title(ctx, row[3], row[7]),
            facts([[t.volunteers, number(ctx, row[4])], [t.equipment, number(ctx, row[5])]]),
            skills.length ? el("div", "lm-popup-heading", t.skills) : null,
            bullets("lm-groups", skills)
          ]);
        }).addTo(group);
    });
    return group;
  }

  /* A ring: a polyline of 1e-5 degree steps (maps/geometry.py encode), [lon, lat] pairs. */
  function ring(text) { return pairs(text); }

  function geometry(encoded) {
    if (encoded[0] === "P") { return {type: "Polygon", coordinates: encoded[1].map(ring)}; }
    if (encoded[0] === "M") {
      return {type: "MultiPolygon", coordinates: encoded[1].map(function (p) { return p.map(ring); })};
    }
    return encoded[1];
  }

  /* area row: [geometry, name, parent, shade (null: no figure), figures[], link] */
  function areas(data, ctx) {
    var features = data.map(function (row, i) {
      return {type: "Feature", geometry: geometry(row[0]), properties: {i: i}};
    });
    return L.geoJSON(features, {
      style: function (feature) {
        var shade = data[feature.properties.i][3];
        return {className: "lm-area " + (shade === null ? "lm-nodata" : "lm-c" + shade)};
      },
      onEachFeature: function (feature, layer) {
        var row = data[feature.properties.i];
        layer.bindPopup(function () {
          return popup([
            title(ctx, row[1], row[5]),
            el("div", "lm-popup-sub", row[2]),
            facts(ctx.figures.map(function (label, j) {
              var value = row[4][j];
              return value === null || value === undefined ? null : [label, number(ctx, value)];
            }))
          ]);
        });
        if (ctx.labels) {
          var label = el("span", null, row[1]);
          if (ctx.labelFigure !== null && row[4][ctx.labelFigure] !== null) {
            label.appendChild(el("b", null, number(ctx, row[4][ctx.labelFigure])));
          }
          layer.bindTooltip(label, {permanent: true, direction: "center", className: "lm-label",
                                    interactive: false});
        }
      }
    });
  }

  function control(map, kind, options) {
    if (kind === "scale") {
      L.control.scale({imperial: false, position: "bottomleft"}).addTo(map);
      return;
    }
    var box = L.control({position: options.position || "bottomright"});
    box.onAdd = function () {
      var div = L.DomUtil.create("div", "leaflet-control " + options.className);
      div.innerHTML = options.html;  // built in maps/legend.py: escaped text, classes only
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    box.addTo(map);
  }

  /* Labels only where they fit: the map's element says when it is zoomed out. */
  function ready(map) {
    var container = map.getContainer();
    var threshold = +(container.getAttribute("data-label-zoom") || 11);
    function update() {
      L.DomUtil[map.getZoom() < threshold ? "addClass" : "removeClass"](container, "lm-zoomed-out");
    }
    map.on("zoomend", update);
    update();
    global.LumbungMaps.maps[container.id] = map;
    container.dispatchEvent(new CustomEvent("lumbung:map-ready", {detail: map, bubbles: true}));
  }

  global.LumbungMaps = {
    maps: {}, posko: posko, warehouses: warehouses, transfers: transfers,
    deployments: deployments, areas: areas, control: control, ready: ready
  };
}(window));
