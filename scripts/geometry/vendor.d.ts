// The few build-time entry points the geometry pipeline uses. d3-geo and topojson-* ship no types of their own;
// these declarations keep the pipeline type-checked without @types packages.
declare module 'd3-geo' {
  export interface GeoProjection {
    (point: [number, number]): [number, number] | null;
    invert?(point: [number, number]): [number, number] | null;
    rotate(): [number, number, number];
    rotate(angles: [number, number] | [number, number, number]): this;
    scale(): number;
    scale(k: number): this;
    translate(): [number, number];
    translate(t: [number, number]): this;
    precision(p: number): this;
  }
  export interface GeoConicProjection extends GeoProjection {
    parallels(): [number, number];
    parallels(p: [number, number]): this;
  }
  export function geoConicConformal(): GeoConicProjection;
}

declare module 'topojson-server' {
  const server: {
    topology(objects: Record<string, unknown>, quantization?: number): {
      type: 'Topology';
      arcs: [number, number][][];
      objects: Record<string, { type: 'GeometryCollection'; geometries: TopoGeometry[] }>;
    };
  };
  export interface TopoGeometry {
    type: 'Polygon' | 'MultiPolygon' | null;
    arcs?: number[][] | number[][][];
    id?: string | number;
  }
  export default server;
}

declare module 'topojson-simplify' {
  const simplify: {
    presimplify<T>(topology: T): T;
    simplify<T>(topology: T, minWeight?: number): T;
  };
  export default simplify;
}
