/* The sales-point map (integrations/portal/_map.html): Leaflet 1.9.4 + leaflet.markercluster 1.5.3, vendored.
   The province outline is the base layer, so no tile server is needed; tiles are added only when configured.
   Markers cluster; point labels are permanent tooltips, and a label that would overlap another is hidden
   (the marker keeps its name as title and in its popup). Without scripts, the server's SVG map stays. */
(function () {
  "use strict";
  var holder = document.querySelector("[data-point-map]");
  if (!holder || !window.L || !L.markerClusterGroup) { return; }
  var data = JSON.parse(document.getElementById(holder.getAttribute("data-point-map")).textContent);

  holder.textContent = "";
  holder.classList.add("point-map");
  var map = L.map(holder, { maxZoom: data.maxZoom, minZoom: 6, zoomSnap: 0.5, scrollWheelZoom: false });
  map.attributionControl.setPrefix(false);
  if (data.tiles) {
    L.tileLayer(data.tiles, { maxZoom: data.maxZoom, attribution: data.tileAttribution }).addTo(map);
  }
  var outline = L.geoJSON(data.boundary, {
    interactive: false,
    style: { color: "#4f7341", weight: 2, fillColor: "#dfead8", fillOpacity: data.tiles ? 0.15 : 0.9 },
    attribution: data.attribution
  });
  var bounds = outline.getBounds();
  // The view comes first: the cluster layer needs the map's zoom when it is added.
  if (data.points.length === 1) {
    map.setView([data.points[0].lat, data.points[0].lon], 11);
  } else {
    map.fitBounds(bounds, { padding: [8, 8] });
  }
  map.setMaxBounds(bounds.pad(0.5));
  outline.addTo(map);

  // Town names are Vietnamese place names on a page in either language: marked so (screen readers, the crawl test).
  function placeName(text) {
    var name = document.createElement("span");
    name.lang = "vi";
    name.textContent = text;
    return name;
  }
  data.towns.forEach(function (town) {
    L.circleMarker([town.lat, town.lon], { radius: 3, color: "#444", weight: 1, fillOpacity: 1, interactive: false })
      .bindTooltip(placeName(town.name), { permanent: true, direction: "right", className: "town-label map-label" })
      .addTo(map);
  });

  var icon = L.icon({
    iconUrl: data.icons.icon, iconRetinaUrl: data.icons.icon2x, shadowUrl: data.icons.shadow,
    iconSize: [25, 41], iconAnchor: [12, 41], popupAnchor: [1, -34], tooltipAnchor: [12, -26], shadowSize: [41, 41]
  });
  var clusters = L.markerClusterGroup({ maxClusterRadius: 50, showCoverageOnHover: false, spiderfyOnMaxZoom: true });
  data.points.forEach(function (point) {
    var marker = L.marker([point.lat, point.lon], { icon: icon, title: point.name, alt: point.name });
    marker.bindTooltip(point.name, { permanent: true, direction: "right", className: "point-label map-label" });
    var popup = document.createElement("div");
    var link = document.createElement(point.url ? "a" : "strong");
    if (point.url) { link.href = point.url; }
    link.textContent = point.name;
    popup.appendChild(link);
    marker.bindPopup(popup);
    marker.on("add", function () {
      var element = marker.getElement();
      if (element) { element.setAttribute("data-code", point.code); }
    });
    clusters.addLayer(marker);
  });
  map.addLayer(clusters);

  function overlaps(a, b) {
    return !(a.right <= b.left || a.left >= b.right || a.bottom <= b.top || a.top >= b.bottom);
  }
  function declutter() {
    // Point labels first, then town labels; a town label also gives way to any marker or cluster it would cover.
    var kept = [];
    var markers = Array.prototype.map.call(holder.querySelectorAll(".leaflet-marker-icon"), function (icon) {
      return icon.getBoundingClientRect();
    });
    [".point-label", ".town-label"].forEach(function (selector, pass) {
      holder.querySelectorAll(selector).forEach(function (label) {
        label.classList.remove("map-label-hidden");
        var box = label.getBoundingClientRect();
        var obstacles = pass === 0 ? kept : kept.concat(markers);
        if (obstacles.some(function (other) { return overlaps(box, other); })) {
          label.classList.add("map-label-hidden");
        } else {
          kept.push(box);
        }
      });
    });
  }
  map.on("zoomend moveend", declutter);
  clusters.on("animationend spiderfied unspiderfied", declutter);

  window.requestAnimationFrame(declutter);
  holder.setAttribute("data-ready", "true");
})();
